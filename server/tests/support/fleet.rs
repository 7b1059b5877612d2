//! The demo's cadres' phones syncing with one server through a proxy that passes everything
//! untouched: what the restore and move tests share.

use super::holdings::CADRES;
use super::phone::{Board, Phone};
use super::proxy::Proxy;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct Fleet {
    proxy: Arc<Proxy>,
    board: Arc<Board>,
}

impl Fleet {
    /// Phones that reach the server at `server` (which may be restarted on the same port).
    pub async fn new(server: SocketAddr) -> Fleet {
        let proxy = Arc::new(Proxy::start(server, 1).await);
        proxy.stop_faults();
        Fleet {
            proxy,
            board: Arc::new(Board::new(CADRES.len())),
        }
    }

    /// One phone per cadre, each saving `quota` records and syncing them (seeded by `seed`).
    pub async fn first_sync(&self, seed: u64, quota: usize) -> Vec<Phone> {
        let mut phones = Vec::new();
        for (index, cadre) in CADRES.iter().enumerate() {
            phones.push(self.sync(Phone::new(index, cadre, seed), quota).await);
        }
        phones
    }

    /// The phone's next sync: it saves up to `quota` records in all, uploads, and downloads.
    pub async fn sync(&self, phone: Phone, quota: usize) -> Phone {
        let (proxy, board) = (Arc::clone(&self.proxy), Arc::clone(&self.board));
        phone.run_until_pulled(quota, proxy, board).await
    }
}
