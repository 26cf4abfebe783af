//! Fulfilment (staff): the packer's list, bulk steps, packing slips, stock, bank statements.

pub mod api;
pub mod page;
pub mod queue;
pub mod slips;
pub mod statement;
