//! `stepwise check DEFINITION`: report whether the file is JSON (full validation lands with the
//! language crate).

pub fn main(args: &[String]) -> u8 {
    let Some(path) = args.first() else {
        eprintln!("usage: stepwise check DEFINITION [--format json|text]");
        return 2;
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("{path}: cannot read: {err}");
            return 2;
        }
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(_) => 0,
        Err(err) => {
            println!(
                "{path}:{}:{}: error[INVALID_JSON_DESCRIPTION]: {err}",
                err.line(),
                err.column()
            );
            1
        }
    }
}
