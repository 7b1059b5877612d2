//! Images in sync: after the records went up, each image of the phone's own goes up in pieces
//! from wherever the server stopped, so a link that drops every few hundred kilobytes still gets
//! a photo through and no byte the server holds is sent again. Images of downloaded records come
//! down one at a time in the background, so they can be shown offline later.

use super::{Exchange, Failure, SyncStatus, navigator_online};
use crate::api::ApiFailure;
use crate::api::blobs::{self, PieceAnswer, UploadStatus};
use crate::store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;
use xiafang_core::attachment::{BlobRef, sha256_hex};

/// One request's worth of an image: a few seconds on a weak village link, so a drop costs little.
/// (The server takes pieces of up to 512 KiB.)
const PIECE_BYTES: usize = 256 * 1024;

thread_local! {
    /// A background download runs in this tab; another is not started beside it.
    static FETCHING: Cell<bool> = const { Cell::new(false) };
}

impl Exchange<'_> {
    /// Uploads every image whose record the server accepted. A lost connection ends the run (the
    /// next one resumes from what the server holds); so does a refusal, after the records synced.
    pub(super) async fn upload_images(&self) -> Result<(), Failure> {
        let waiting = self.store.blobs_to_upload().await.map_err(Failure::Store)?;
        for image in waiting.into_iter().filter(|w| w.ready).map(|w| w.image) {
            let Some(bytes) = self
                .store
                .blob(&image.sha256)
                .await
                .map_err(Failure::Store)?
            else {
                continue;
            };
            upload(&self.session.token, &image, &bytes)
                .await
                .map_err(Failure::Api)?;
            self.store
                .mark_blob_uploaded(&image.sha256)
                .await
                .map_err(Failure::Store)?;
            self.status.count_images().await;
        }
        Ok(())
    }
}

/// Sends what the server lacks of `image`, piece by piece. After a dropped connection it asks
/// the server where it stands and goes on at once, as long as a piece got through since the
/// previous drop; two drops in a row end the attempt (the link is gone, not just flaky).
async fn upload(token: &str, image: &BlobRef, bytes: &[u8]) -> Result<(), ApiFailure> {
    let mut at = blobs::upload_status(token, &image.sha256).await?;
    let mut restarted = false;
    let mut got_through = true;
    // Every step either stores a piece or resynchronises; this bound only stops a server that
    // keeps answering without taking anything.
    let mut steps_left = 4 * (bytes.len() / PIECE_BYTES + 1) + 8;
    while !at.complete {
        steps_left = steps_left.checked_sub(1).ok_or_else(|| {
            ApiFailure::Unreadable("the server takes no more of the image".into())
        })?;
        let offset = (at.received as usize).min(bytes.len());
        let end = (offset + PIECE_BYTES).min(bytes.len());
        if offset == end {
            // All sent but not complete: ask again rather than send an empty piece.
            at = blobs::upload_status(token, &image.sha256).await?;
            continue;
        }
        match blobs::put_piece(token, image, offset as u64, &bytes[offset..end]).await {
            Ok(PieceAnswer::Stored(now)) => {
                got_through = true;
                at = now;
            }
            Ok(PieceAnswer::WrongOffset { received }) => at.received = received,
            Ok(PieceAnswer::HashMismatch) if !restarted => {
                // The phone hashed these very bytes, so this should not happen; once more from
                // the start, in case something on the way damaged a piece.
                web_sys::console::error_1(
                    &format!(
                        "server found image {} damaged; sending it again",
                        image.sha256
                    )
                    .into(),
                );
                restarted = true;
                at = UploadStatus {
                    received: 0,
                    size: None,
                    complete: false,
                };
            }
            Ok(PieceAnswer::HashMismatch) => {
                return Err(ApiFailure::Unreadable(
                    "the server refuses the image's hash".into(),
                ));
            }
            Err(ApiFailure::Offline) if got_through => {
                got_through = false;
                at = blobs::upload_status(token, &image.sha256).await?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

impl SyncStatus {
    /// Counts the phone's images still to go up, for the status line.
    pub(super) async fn count_images(self) {
        let waiting = match store::shared().await {
            Ok(s) => s.blobs_to_upload().await,
            Err(e) => Err(e),
        };
        match waiting {
            Ok(list) => self.pending_images.set(list.len() as u32),
            Err(e) => web_sys::console::warn_1(&format!("images not counted: {e}").into()),
        }
    }

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
