//! shop-messages-fixed: drains the message queues of the shops given on the command
//! line and prints what was in them.

mod tool;

use std::process::ExitCode;

fn main() -> ExitCode {
    let shops: Vec<String> = std::env::args().skip(1).collect();
    if shops.is_empty() {
        eprintln!("usage: shop-messages-fixed SHOP...");
        return ExitCode::from(2);
    }
    match tool::redis::message_list_shop_get(&shops) {
        Ok(drained) => {
            for batch in &drained {
                println!("{}: {} message(s)", batch.shop, batch.messages.len());
                for message in &batch.messages {
                    println!("  {message}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("shop-messages-fixed: {err}");
            ExitCode::FAILURE
        }
    }
}
