use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Signs payloads the way receivers verify them: `t=<unix>,v1=<hex hmac of "t.payload">`.
#[derive(Clone, Default)]
pub struct Signer;

impl Signer {
    pub fn sign(&self, secret: &str, payload: &str, timestamp: i64) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("hmac takes any key length");
        mac.update(format!("{timestamp}.{payload}").as_bytes());
        format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
    }
}
