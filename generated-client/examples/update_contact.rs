//! Changes one contact's email and nothing else, then prints the contact.
//!
//! ```sh
//! NEDZO_TOKEN=... cargo run -p nedzo-client --example update_contact -- <contact-id> <new-email>
//! ```
//!
//! Settings come from the environment:
//! - `NEDZO_TOKEN` (required): the API token, sent as `Authorization: Bearer …`;
//! - `NEDZO_BASE_URL` (optional): defaults to the documented server, `https://api.nedzo.ai`;
//! - `NEDZO_CONTACT_ID`, `NEDZO_EMAIL`: used when the arguments are left out.
//!
//! Only `email` is sent (`{"email": "…"}`), so every other field of the
//! contact, `dnc` included, keeps its stored value.

use std::process::ExitCode;
use std::time::Duration;

use nedzo_client::types::ContactUpdate;
use nedzo_client::{Client, Nullable};

/// The n-th command-line argument, else the environment variable `var`.
fn arg_or_env(n: usize, var: &str) -> Option<String> {
    std::env::args().nth(n).or_else(|| std::env::var(var).ok()).filter(|s| !s.is_empty())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let token = std::env::var("NEDZO_TOKEN").map_err(|_| "set NEDZO_TOKEN to your API token".to_owned())?;
    let base_url = std::env::var("NEDZO_BASE_URL").unwrap_or_else(|_| Client::DEFAULT_BASE_URL.to_owned());
    let id = arg_or_env(1, "NEDZO_CONTACT_ID").ok_or("give the contact id as the first argument or in NEDZO_CONTACT_ID")?;
    let id: uuid::Uuid = id.parse().map_err(|e| format!("contact id {id:?} is not a UUID: {e}"))?;
    let email = arg_or_env(2, "NEDZO_EMAIL").ok_or("give the new email as the second argument or in NEDZO_EMAIL")?;

    let client = Client::builder(&base_url)
        .bearer_token(token)
        .timeout(Duration::from_secs(15))
        .max_retries(2)
        .build()
        .map_err(|e| e.to_string())?;

    let update = ContactUpdate { email: Nullable::Value(email), ..Default::default() };
    match client.update_contact(&id, &update).await {
        Ok(response) => {
            println!("{} {}", response.status(), response.message);
            if let Some(contact) = response.data.as_option().and_then(|d| d.contact.as_ref()) {
                let json = serde_json::to_string_pretty(contact).map_err(|e| e.to_string())?;
                println!("{json}");
            }
            Ok(())
        }
        Err(error) => {
            // The error never contains the token; the raw body helps with 4xx.
            let body = error.body_text().unwrap_or_default();
            Err(format!("{error}\n{body}"))
        }
    }
}
