use std::collections::HashMap;
use std::sync::RwLock;

use async_trait::async_trait;
use uuid::Uuid;

use super::{Account, AccountStore, NewAccount, StoreError, TransferCmd, TransferOutcome};

/// Everything in process memory; for local runs and tests.
#[derive(Default)]
pub struct MemoryStore {
    accounts: RwLock<HashMap<Uuid, Account>>,
    transfers: RwLock<HashMap<String, TransferOutcome>>,
}

#[async_trait]
impl AccountStore for MemoryStore {
    async fn open_account(&self, new: NewAccount) -> Result<Account, StoreError> {
        let id = Uuid::new_v4();
        {
            let mut accounts = self.accounts.write().expect("accounts lock");
            if accounts.values().any(|a| a.owner == new.owner && a.currency == new.currency) {
                return Err(StoreError::AlreadyExists);
            }
            accounts.insert(id, Account { id, owner: new.owner, currency: new.currency, balance_cents: 0, tier: new.tier });
        }
        self.get_account(id).await?.ok_or(StoreError::NotFound(id))
    }

    async fn get_account(&self, id: Uuid) -> Result<Option<Account>, StoreError> {
        Ok(self.accounts.read().expect("accounts lock").get(&id).cloned())
    }

    async fn transfer(&self, cmd: TransferCmd) -> Result<TransferOutcome, StoreError> {
        if let Some(done) = self.transfers.read().expect("transfers lock").get(&cmd.idempotency_key) {
            return Ok(TransferOutcome { replayed: true, ..done.clone() });
        }
        let mut accounts = self.accounts.write().expect("accounts lock");
        let from = accounts.get(&cmd.from).cloned().ok_or(StoreError::NotFound(cmd.from))?;
        let to = accounts.get(&cmd.to).cloned().ok_or(StoreError::NotFound(cmd.to))?;
        if from.currency != to.currency {
            return Err(StoreError::CurrencyMismatch);
        }
        if from.balance_cents < cmd.amount_cents {
            return Err(StoreError::InsufficientFunds);
        }
        let from_balance = from.balance_cents - cmd.amount_cents;
        accounts.entry(cmd.from).and_modify(|a| a.balance_cents = from_balance);
        accounts.entry(cmd.to).and_modify(|a| a.balance_cents += cmd.amount_cents);
        drop(accounts);

        let outcome = TransferOutcome { transfer_id: Uuid::new_v4(), from_balance_cents: from_balance, replayed: false };
        self.transfers.write().expect("transfers lock").insert(cmd.idempotency_key, outcome.clone());
        Ok(outcome)
    }
}
