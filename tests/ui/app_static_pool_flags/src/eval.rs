use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock, RwLock};

use tracing::debug;

use crate::db;
use crate::error::FlagError;
use crate::flags::{self, Flag, Rule};

#[derive(Debug, Clone, Copy)]
enum Op { Eq, In, Suffix }

#[derive(Debug)]
pub struct CompiledFlag {
    pub flag: Flag,
    rules: Vec<(String, Op, Vec<String>)>,
}

impl CompiledFlag {
    pub fn new(flag: Flag, rules: Vec<Rule>) -> Result<Self, FlagError> {
        let rules = rules
            .into_iter()
            .map(|r| {
                let op = match r.op.as_str() {
                    "eq" => Op::Eq,
                    "in" => Op::In,
                    "suffix" => Op::Suffix,
                    other => return Err(FlagError::InvalidRule(format!("unknown operator {other:?}"))),
                };
                Ok((r.attribute, op, r.value.split(',').map(|v| v.trim().to_owned()).collect()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { flag, rules })
    }

    /// On when enabled, every rule matches the context, and the subject falls in the rollout.
    pub fn evaluate(&self, subject: &str, ctx: &HashMap<String, String>) -> bool {
        if !self.flag.enabled {
            return false;
        }
        let rules_match = self.rules.iter().all(|(attr, op, values)| match (ctx.get(attr), op) {
            (None, _) => false,
            (Some(v), Op::Eq) => values.first() == Some(v),
            (Some(v), Op::In) => values.contains(v),
            (Some(v), Op::Suffix) => values.iter().any(|s| v.ends_with(s.as_str())),
        });
        rules_match && bucket(&self.flag.key, subject) < self.flag.rollout_pct as u64
    }
}

fn bucket(key: &str, subject: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (key, subject).hash(&mut h);
    h.finish() % 100
}

static CACHE: OnceLock<RwLock<HashMap<String, Arc<CompiledFlag>>>> = OnceLock::new();

fn cache() -> &'static RwLock<HashMap<String, Arc<CompiledFlag>>> {
    CACHE.get_or_init(|| RwLock::new(HashMap::new()))
}

pub fn lookup(key: &str) -> Option<Arc<CompiledFlag>> {
    cache().read().expect("cache lock").get(key).cloned()
}

/// Reloads every flag. Concurrent callers return at once instead of queueing behind the gate.
pub async fn refresh() -> Result<usize, FlagError> {
    let Ok(_gate) = db::REFRESH_GATE.try_acquire() else {
        debug!("a refresh is already running");
        return Ok(0);
    };
    let fresh = flags::load_all().await?;
    let n = fresh.len();
    let fresh = fresh.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
    *cache().write().expect("cache lock") = fresh;
    Ok(n)
}
