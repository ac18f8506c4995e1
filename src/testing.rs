//! Assertions that unit tests in several domain modules share (compiled for tests only).

use serde::Serialize;

/// Asserts that each value of a closed set has one name everywhere: the strum name the text and
/// rule clauses use, its JSON (serde) name and its command-line (clap) name.
pub fn same_names<T: clap::ValueEnum + Serialize + Copy + Into<&'static str>>() {
    for v in T::value_variants() {
        let name: &str = (*v).into();
        assert_eq!(serde_json::to_value(v).unwrap(), name);
        assert_eq!(v.to_possible_value().unwrap().get_name(), name);
    }
}
