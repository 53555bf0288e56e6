fn main() {
    let path = std::env::args().nth(1).unwrap();
    let filter = std::env::args().nth(2).unwrap_or_default();
    let bytes = std::fs::read(&path).unwrap();
    let api = openapi_rust_gen::model_of(&bytes, &path).unwrap();
    for op in &api.operations {
        if !op.path.contains(&filter) { continue; }
        match &op.pagination {
            Some(p) => println!("{} {} {} -> {:?} items={:?} more={:?} total={:?}", op.method, op.path, op.name, p.rule, p.items.iter().map(|s| s.wire.as_str()).collect::<Vec<_>>(), p.more.as_ref().map(|m| (m.0.iter().map(|s| s.wire.clone()).collect::<Vec<_>>(), m.1)), p.total.as_ref().map(|t| t.iter().map(|s| s.wire.clone()).collect::<Vec<_>>())),
            None => println!("{} {} {} -> none", op.method, op.path, op.name),
        }
    }
    for w in &api.warnings { if w.kind == openapi_rust_gen::WarningKind::Pagination { println!("{w}"); } }
}
