//! The shop's own facts as the back office shows them: its name (`AISLE_SHOP_NAME`),
//! on the frame and the packing slips. The shell provides it once the API answered.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct ShopName(pub Signal<String>);

pub fn use_shop_name() -> Signal<String> {
    expect_context::<ShopName>().0
}
