//! Serving until SIGTERM (a service manager's stop) or Ctrl-C, then draining: the listener
//! closes at once, requests under way — an upload arriving over a slow link — are answered, idle
//! connections are closed, and the process ends once all are done or `GRACE` has passed.

use std::time::Duration;

/// How long requests under way may take after the signal, unless `--shutdown-grace` says
/// otherwise. A batch upload on a poor link takes seconds; systemd's `TimeoutStopSec`
/// (deploy/xiafang.service) must be longer than this, or it kills the server before the grace
/// period ends. A phone whose request was cut off hears no answer and sends it again; the server
/// stores it once, whether or not the cut-off copy had committed.
pub const GRACE: Duration = Duration::from_secs(25);

/// Serves `app` on `listener` until a stop signal, then drains for at most `grace`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    grace: Duration,
) -> std::io::Result<()> {
    let stopping = std::sync::Arc::new(tokio::sync::Notify::new());
    let signalled = stopping.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        stop_signal().await;
        tracing::info!("stop signal: no new connections; finishing requests under way");
        // Stores a permit, so the timer below starts even if it is not waiting yet.
        signalled.notify_one();
    });
    tokio::select! {
        served = server => served,
        () = async {
            stopping.notified().await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(?grace, "grace period over: requests still under way are cut off");
            Ok(())
        }
    }
}

/// Ctrl-C or SIGTERM.
async fn stop_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(e) => {
                    eprintln!("cannot listen for SIGTERM: {e}");
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
