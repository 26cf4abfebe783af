//! The shop's legal pages (`/legal/terms`, `/legal/withdrawal`, `/legal/privacy`,
//! `/legal/imprint`), each at its newest version or, with `?version=`, the one an
//! order was placed under. Linked from every page's footer and from the checkout.

pub mod page;
