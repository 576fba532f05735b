use std::sync::Arc;

use tokio::sync::Semaphore;
use tonic::{Request, Response, Status};
use tracing::warn;
use uuid::Uuid;

use crate::proto::accounts_server::Accounts;
use crate::proto::{AccountReply, GetAccountRequest, OpenAccountRequest, TransferReply, TransferRequest};
use crate::store::{Account, AccountStore, NewAccount, StoreError, TransferCmd};

pub struct AccountsService<S: AccountStore> {
    store: Arc<S>,
    /// Caps transfers in flight; callers beyond it are told to retry instead of queueing.
    in_flight: Arc<Semaphore>,
}

impl<S: AccountStore> AccountsService<S> {
    pub fn new(store: S, max_in_flight: usize) -> Self {
        Self { store: Arc::new(store), in_flight: Arc::new(Semaphore::new(max_in_flight)) }
    }
}

fn parse_id(raw: &str, field: &str) -> Result<Uuid, Status> {
    Uuid::parse_str(raw).map_err(|_| Status::invalid_argument(format!("{field} is not a uuid")))
}

fn to_status(e: StoreError) -> Status {
    match e {
        StoreError::NotFound(_) => Status::not_found(e.to_string()),
        StoreError::AlreadyExists => Status::already_exists(e.to_string()),
        StoreError::InsufficientFunds | StoreError::CurrencyMismatch => Status::failed_precondition(e.to_string()),
        StoreError::VelocityExceeded => Status::resource_exhausted(e.to_string()),
        StoreError::Invalid(_) => Status::invalid_argument(e.to_string()),
        StoreError::Db(ref inner) => {
            warn!(error = %inner, "store failure");
            Status::unavailable("storage unavailable")
        }
    }
}

fn reply(a: Account) -> AccountReply {
    AccountReply { id: a.id.to_string(), owner: a.owner, currency: a.currency, balance_cents: a.balance_cents, tier: a.tier }
}

#[tonic::async_trait]
impl<S: AccountStore> Accounts for AccountsService<S> {
    async fn open_account(&self, request: Request<OpenAccountRequest>) -> Result<Response<AccountReply>, Status> {
        let req = request.into_inner();
        if req.owner.trim().is_empty() || req.currency.len() != 3 {
            return Err(Status::invalid_argument("owner and a 3-letter currency are required"));
        }
        let new = NewAccount { owner: req.owner, currency: req.currency.to_uppercase(), tier: req.tier };
        let account = self.store.open_account(new).await.map_err(to_status)?;
        Ok(Response::new(reply(account)))
    }

    async fn get_account(&self, request: Request<GetAccountRequest>) -> Result<Response<AccountReply>, Status> {
        let id = parse_id(&request.get_ref().id, "id")?;
        let account = self.store.get_account(id).await.map_err(to_status)?;
        account.map(|a| Response::new(reply(a))).ok_or_else(|| Status::not_found("no such account"))
    }

    async fn transfer(&self, request: Request<TransferRequest>) -> Result<Response<TransferReply>, Status> {
        let _slot = self
            .in_flight
            .try_acquire()
            .map_err(|_| Status::resource_exhausted("too many transfers in flight"))?;
        let req = request.into_inner();
        let cmd = TransferCmd {
            from: parse_id(&req.from_id, "from_id")?,
            to: parse_id(&req.to_id, "to_id")?,
            amount_cents: req.amount_cents,
            idempotency_key: req.idempotency_key,
        };
        let outcome = self.store.transfer(cmd).await.map_err(to_status)?;
        Ok(Response::new(TransferReply {
            transfer_id: outcome.transfer_id.to_string(),
            from_balance_cents: outcome.from_balance_cents,
            replayed: outcome.replayed,
        }))
    }
}
