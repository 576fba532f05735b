//! What every layer knows of the lints: their names, default levels, summaries and pages, and
//! the levels themselves. The passes that check them live in `lints`.

use crate::base::diag::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub(crate) fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

pub struct Lint {
    pub name: &'static str,
    pub default: Level,
    pub summary: &'static str,
    /// The lint's page (`lints/<name>.md`): what `explain` prints.
    pub page: &'static str,
    /// Its finding at code another lint already reports as part of a deadlock (the same pool
    /// again, a pool order inversion) is not reported a second time.
    pub yields_to_deadlocks: bool,
}

pub const LINTS: &[Lint] = &[
    Lint {
        name: "nested_checkout",
        default: Level::Deny,
        summary: "a guard of a pool is held across code that checks out the same pool again",
        page: include_str!("../../lints/nested_checkout.md"),
        yields_to_deadlocks: false,
    },
    Lint {
        name: "unbounded_checkout_wait",
        default: Level::Warn,
        summary: "a pool built so that a checkout can wait forever (no wait timeout)",
        page: include_str!("../../lints/unbounded_checkout_wait.md"),
        yields_to_deadlocks: false,
    },
    Lint {
        name: "checkout_order_inversion",
        default: Level::Deny,
        summary: "two pools are checked out in opposite orders on two paths",
        page: include_str!("../../lints/checkout_order_inversion.md"),
        yields_to_deadlocks: false,
    },
    Lint {
        name: "guard_held_across_await",
        default: Level::Warn,
        summary: "a connection is held across an `.await` of work that does not use it",
        page: include_str!("../../lints/guard_held_across_await.md"),
        yields_to_deadlocks: true,
    },
];

pub(crate) fn find(name: &str) -> Option<&'static Lint> {
    LINTS
        .iter()
        .find(|l| l.name == name || l.name.replace('_', "-") == name)
}
