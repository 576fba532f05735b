mod triples;

pub use triples::known_triple;
