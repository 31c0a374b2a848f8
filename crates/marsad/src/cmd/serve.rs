//! `marsad serve`: the JSON API and web pages over the workspace (see
//! `crate::server`). Binds to loopback by default; prints the URL it
//! serves and runs until Ctrl-C or SIGTERM.

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
    serve_store(Arc::new(store), args.addr, "serve")?;
    Ok(ExitCode::SUCCESS)
}

/// Build the views, bind, print `marsad {what}: serving URL`, and serve
/// until a shutdown signal.
pub fn serve_store(store: Arc<Store>, addr: SocketAddr, what: &str) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async {
        let state = server::AppState::new(store).context("building the report views")?;
        let (listener, local) = server::bind(addr).await?;
        println!("marsad {what}: serving http://{local}/");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        server::serve(listener, state, server::shutdown_signal()).await
    })
}
