use deadpool::managed::{self, Metrics, RecycleResult};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub struct LedgerConn {
    stream: BufReader<TcpStream>,
}

impl LedgerConn {
    pub async fn post_entry(&mut self, account: &str, cents: i64) -> std::io::Result<String> {
        let line = format!("POST {account} {cents}\n");
        self.stream.get_mut().write_all(line.as_bytes()).await?;
        let mut reply = String::new();
        self.stream.read_line(&mut reply).await?;
        Ok(reply.trim_end().to_owned())
    }
}

pub struct LedgerManager {
    pub addr: String,
}

impl managed::Manager for LedgerManager {
    type Type = LedgerConn;
    type Error = std::io::Error;

    async fn create(&self) -> Result<LedgerConn, std::io::Error> {
        let stream = TcpStream::connect(&self.addr).await?;
        Ok(LedgerConn { stream: BufReader::new(stream) })
    }

    async fn recycle(&self, _conn: &mut LedgerConn, _: &Metrics) -> RecycleResult<std::io::Error> {
        Ok(())
    }
}

pub type LedgerPool = managed::Pool<LedgerManager>;
