//! Typed ids: an index into one table, which no other table's index can be mistaken for.

/// An id type over `u32`, for a table of at most 4 G entries.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            Debug,
            Default,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub(crate) struct $name(pub(crate) u32);

        impl $name {
            /// The position in its table.
            pub(crate) fn index(self) -> usize {
                self.0 as usize
            }

            /// The id of position `i` (tables stay far below `u32::MAX` entries: the index
            /// builds them from source files of at most `max_file_size_mb` each).
            pub(crate) fn from_index(i: usize) -> Self {
                $name(i as u32)
            }
        }

        /// The number, as in the graph's node names.
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

pub(crate) use id_type;
