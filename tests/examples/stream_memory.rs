//! Downloads a large body through the generated client (from the reference
//! stream service, in this process on 127.0.0.1) and prints the process's
//! peak memory: run by `cargo xtask stream-memory`, which builds it in
//! release mode and checks the figure.
//!
//! `stream_memory [SIZE_MB] [--whole]`: SIZE_MB mebibytes (default 1024),
//! read piece by piece with `.into_stream()`, or with `--whole` read into
//! one `Vec<u8>` by `.await` (for comparison). Every byte is checked
//! against the service's pattern. Prints `stream-memory: KEY VALUE` lines:
//! `bytes`, `chunks`, `seconds`, `baseline_rss_kib` (peak before the
//! download) and `peak_rss_kib` (`VmHWM` after it).

use std::time::Instant;

use integration_tests::stream_service::StreamService;
use openapi_rust_gen::process_stats::peak_rss_kib;
use stream_service_client::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let whole = args.iter().any(|a| a == "--whole");
    let mib: u64 = args.iter().find(|a| !a.starts_with("--")).map(|a| a.parse()).transpose()?.unwrap_or(1024);
    let size = mib * 1024 * 1024;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async move {
        let svc = StreamService::start().await;
        // Read whole, the download is larger than the default response size limit.
        let limit = usize::try_from(size).unwrap_or(usize::MAX);
        let client = Client::builder(&svc.base_url()).max_response_body_size(limit).build()?;
        let baseline = peak_rss_kib().unwrap_or(0);
        let start = Instant::now();
        let (bytes, chunks) = if whole {
            let body = client.download(&(size as i64)).await?.into_inner();
            let ok = body.iter().enumerate().all(|(i, b)| *b == StreamService::download_byte(i as u64));
            if !ok {
                return Err("the body is not what the service sent".into());
            }
            (body.len() as u64, 1u64)
        } else {
            let mut body = client.download(&(size as i64)).into_stream().await?.into_inner();
            let (mut read, mut chunks) = (0u64, 0u64);
            while let Some(chunk) = body.next().await {
                let chunk = chunk?;
                if !chunk.iter().enumerate().all(|(i, b)| *b == StreamService::download_byte(read + i as u64)) {
                    return Err("the body is not what the service sent".into());
                }
                read += chunk.len() as u64;
                chunks += 1;
            }
            (read, chunks)
        };
        let seconds = start.elapsed().as_secs_f64();
        if bytes != size {
            return Err(format!("read {bytes} bytes of {size}").into());
        }
        println!("stream-memory: mode {}", if whole { "whole" } else { "stream" });
        println!("stream-memory: bytes {bytes}");
        println!("stream-memory: chunks {chunks}");
        println!("stream-memory: seconds {seconds:.3}");
        println!("stream-memory: baseline_rss_kib {baseline}");
        println!("stream-memory: peak_rss_kib {}", peak_rss_kib().unwrap_or(0));
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
