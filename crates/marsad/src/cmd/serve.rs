//! `marsad serve`: the JSON API and web pages over the workspace (see
//! `crate::server`). Binds to loopback by default; prints the URL it
//! serves and runs until Ctrl-C or SIGTERM. It listens at once and builds
//! the cross-document views on a background thread (see `crate::server`).

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use marsad_store::Store;

use crate::server;

/// Arguments of `marsad serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port). Use 0.0.0.0:PORT
    /// only if the collection may be seen from other machines.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

/// Run the command.
pub fn run(args: Args, data: &Path) -> anyhow::Result<ExitCode> {
    let store =
        Store::open(data).with_context(|| format!("opening the workspace {}", data.display()))?;
    serve_store(Arc::new(store), args.addr, "serve", Views::Background)?;
    Ok(ExitCode::SUCCESS)
}

/// When the cross-document views are built.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Views {
    /// Before listening (small collections: the demo).
    First,
    /// On a background thread while already listening (a large store
    /// takes seconds; search and articles work meanwhile).
    Background,
}

/// Build the views (now or in the background), bind, print `marsad
/// {what}: serving URL`, and serve until a shutdown signal.
pub fn serve_store(
    store: Arc<Store>,
    addr: SocketAddr,
    what: &str,
    views: Views,
) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async {
        let state = match views {
            Views::First => server::AppState::new(store).context("building the report views")?,
            Views::Background => server::AppState::start(store),
        };
        let (listener, local) = server::bind(addr).await?;
        println!("marsad {what}: serving http://{local}/");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        server::serve(listener, state, server::shutdown_signal()).await
    })
}
