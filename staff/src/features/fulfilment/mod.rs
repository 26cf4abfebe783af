//! Fulfilment (staff): the packer's list, bulk steps, packing slips, stock.

pub mod api;
pub mod page;
pub mod queue;
pub mod slips;
