// Subcommand implementations; main dispatches to exactly one of them.
pub mod archive;
pub mod restore;
