use serde_json::Value;
fn diff(a: &Value, b: &Value, ptr: &str, out: &mut Vec<String>) {
    if out.len() > 12 { return; }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x { match y.get(k) { Some(w) => diff(v, w, &format!("{ptr}/{k}"), out), None => out.push(format!("removed {ptr}/{k}")) } }
            for k in y.keys() { if !x.contains_key(k) { out.push(format!("added {ptr}/{k} = {}", y[k].to_string().chars().take(80).collect::<String>())) } }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => for (i, (v, w)) in x.iter().zip(y).enumerate() { diff(v, w, &format!("{ptr}/{i}"), out) },
        _ => if a != b { out.push(format!("changed {ptr}: {} -> {}", a.to_string().chars().take(60).collect::<String>(), b.to_string().chars().take(60).collect::<String>())) }
    }
}
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let v = openapi_rust_gen::load::parse_text(&bytes, "x").unwrap();
    let mut n = v.clone();
    let _ = openapi_rust_gen::load::normalize::normalize(&mut n);
    let mut out = Vec::new();
    diff(&v, &n, "", &mut out);
    for o in out { println!("{o}"); }
}
