//! Images of downloaded records come down one at a time in the background, so they can be shown
//! offline later. (The phone's own images go up in the engine's runs, `xiafang_core::engine`.)

use super::{SyncStatus, navigator_online};
use crate::api::ApiFailure;
use crate::api::blobs;
use crate::store;
use leptos::task::spawn_local;
use std::cell::Cell;
use xiafang_core::attachment::{BlobRef, sha256_hex};

thread_local! {
    /// A background download runs in this tab; another is not started beside it.
    static FETCHING: Cell<bool> = const { Cell::new(false) };
}

impl SyncStatus {
    /// Starts downloading, one after the other, the images records on the phone show but the
    /// phone lacks; stops when the connection goes. Nothing happens while one runs already.
    pub(super) fn fetch_missing_images(self) {
        if FETCHING.with(Cell::get) {
            return;
        }
        FETCHING.with(|f| f.set(true));
        spawn_local(async move {
            if let Err(e) = fetch_missing().await {
                web_sys::console::warn_1(&format!("images not downloaded: {e}").into());
            }
            FETCHING.with(|f| f.set(false));
        });
    }
}

async fn fetch_missing() -> Result<(), store::StoreError> {
    let store = store::shared().await?;
    for image in store.missing_blobs().await? {
        match image_bytes(&image).await {
            ImageOnPhone::Ready(_) | ImageOnPhone::NotUploaded => {}
            ImageOnPhone::Offline => break,
            ImageOnPhone::Failed(why) => {
                web_sys::console::warn_1(&format!("image {}: {why}", image.sha256).into());
            }
        }
    }
    Ok(())
}

/// Where an image stands for showing it.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageOnPhone {
    Ready(Vec<u8>),
    /// The server has no complete copy yet: its author's phone has not sent it.
    NotUploaded,
    /// Not on this phone, and no connection to fetch it.
    Offline,
    Failed(String),
}

/// The image's bytes from the phone, or else from the server (then kept on the phone, sealed).
pub async fn image_bytes(image: &BlobRef) -> ImageOnPhone {
    let store = match store::shared().await {
        Ok(store) => store,
        Err(e) => return ImageOnPhone::Failed(e.to_string()),
    };
    match store.blob(&image.sha256).await {
        Ok(Some(bytes)) => return ImageOnPhone::Ready(bytes),
        Ok(None) => {}
        Err(e) => return ImageOnPhone::Failed(e.to_string()),
    }
    // Locked, there is no token: nothing is asked of the server.
    let Some(token) = store::vault::token() else {
        return ImageOnPhone::Offline;
    };
    if !navigator_online() {
        return ImageOnPhone::Offline;
    }
    match blobs::download(&token, &image.sha256).await {
        Ok(Some(bytes)) if sha256_hex(&bytes) == image.sha256 => {
            if let Err(e) = store.keep_downloaded_blob(image, &bytes).await {
                // Shown anyway; the next sync tries to keep it again.
                web_sys::console::warn_1(&format!("image not kept: {e}").into());
            }
            ImageOnPhone::Ready(bytes)
        }
        Ok(Some(_)) => ImageOnPhone::Failed("downloaded image does not match its hash".into()),
        Ok(None) => ImageOnPhone::NotUploaded,
        Err(ApiFailure::Offline) => ImageOnPhone::Offline,
        Err(e) => ImageOnPhone::Failed(e.to_string()),
    }
}
