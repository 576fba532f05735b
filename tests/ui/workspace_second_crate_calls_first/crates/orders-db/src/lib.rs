// The storage crate of the workspace: `payments::mark_paid` runs its query on the pool it is given.
pub mod payments;
