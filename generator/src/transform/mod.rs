//! Stage 3, transform: the model rewritten as the configuration file
//! ([`crate::config_file`]) asks, before anything is emitted.
//!
//! `load → model → transform → emit`. Names are final before this stage
//! (the model decides them for the whole spec), so a type or method keeps
//! its name whatever the filter keeps. The steps, in order:
//!
//! 1. **check**: every reference in the configuration (schema, type, tag,
//!    operationId glob, path prefix, feature, dependency crate) is checked
//!    against the model; every problem is reported together with the ones
//!    found while reading the file ([`crate::Error::Config`]);
//! 2. **replace** (`[replace]`): a replaced type becomes an alias of the
//!    existing Rust type (`pub type Money = ::rust_decimal::Decimal;`), so
//!    references to it keep their name;
//! 3. **filter** (`[filter]`): operations not kept are removed;
//! 4. **prune** ([`prune`]): types no kept operation reaches are removed
//!    (without a filter, component schemas stay: they are the spec's public
//!    types); warnings located in removed parts go with them;
//! 5. **dedupe** ([`dedupe`], with or without a configuration): an inline
//!    type with the shape of an earlier type becomes an alias of it (a type
//!    given derives of its own is left alone);
//! 6. **derives** ([`derives`]): extra derives per type, skipped (with a
//!    warning) where they cannot hold;
//! 7. **features** ([`features`]): per-tag cargo features of operations and
//!    of the types only one tag uses.
//!
//! Without a configuration only dedupe changes the model.

mod dedupe;
mod derives;
mod features;
mod prune;

use std::collections::{BTreeSet, HashMap};

use crate::config_file::{ConfigFile, FIXED_DEPENDENCIES, Located, Selector};
use crate::error::Problem;
use crate::model::{Api, Dependency, Operation, ResponseBody, TypeKind, TypeRef};

/// Rewrites `api` as `config` asks; every configuration problem is returned together.
pub fn transform(mut api: Api, config: &ConfigFile) -> Result<Api, Vec<Problem>> {
    let mut problems: Vec<Problem> = config.problems().to_vec();
    let replaced: Vec<Option<usize>> = config.replace.iter().map(|r| select(&api, &r.target, &mut problems)).collect();
    // By name: indices move when types are pruned; names never do.
    let derive_targets: Vec<Option<String>> = config
        .derives
        .types
        .iter()
        .map(|(t, _)| select(&api, t, &mut problems).map(|i| api.types[i].name.clone()))
        .collect();
    check_filter(&api, config, &mut problems);
    let dependencies = dependencies(&api, config, &mut problems);
    let feature_names = features::names(&api, config, &dependencies, &mut problems);
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line_col);
        return Err(problems);
    }
    api.dependencies = dependencies;

    // Parts of the spec no longer generated: their warnings go with them.
    let mut gone: Vec<String> = Vec::new();
    for (r, idx) in config.replace.iter().zip(&replaced) {
        if let Some(i) = *idx {
            let t = &mut api.types[i];
            t.kind = TypeKind::Alias(TypeRef::External(r.path.value.clone()));
            gone.push(t.pointer.clone());
        }
    }
    if !config.replace.is_empty() {
        // A replaced parameter type is written as its new type is.
        for op in &mut api.operations {
            crate::model::build::surface::encode_params(&api.types, op);
            // A replaced body type is sent through serde, not part by part.
            if let Some(body) = op.body.as_mut().filter(|b| b.by_parts) {
                body.by_parts = crate::model::build::bodies::has_file_fields(&api.types, &body.ty);
            }
        }
    }
    if config.filter.is_active() {
        let (kept, dropped): (Vec<Operation>, Vec<Operation>) =
            std::mem::take(&mut api.operations).into_iter().partition(|op| config.filter.keeps(&op.tags, op.operation_id.as_deref(), &op.path));
        gone.extend(dropped.into_iter().map(|op| op.pointer));
        api.operations = kept;
    }
    if config.filter.is_active() || !config.replace.is_empty() {
        gone.extend(prune::prune(&mut api, !config.filter.is_active()));
    }
    if !gone.is_empty() {
        gone.sort();
        api.warnings.retain(|w| !under_any(&w.pointer, &gone));
    }
    let by_name = index_by_name(&api);
    let selected: Vec<(usize, &[crate::config_file::Derive])> = derive_targets
        .iter()
        .zip(&config.derives.types)
        .filter_map(|(name, (_, list))| name.as_deref().and_then(|n| by_name.get(n)).map(|i| (*i, list.as_slice())))
        .collect();
    let pinned: Vec<usize> = selected.iter().map(|(i, _)| *i).collect();
    dedupe::dedupe(&mut api, &pinned);
    derives::apply(&mut api, config, &selected);
    features::apply(&mut api, feature_names.as_ref());
    api.warnings.sort();
    api.warnings.dedup();
    Ok(api)
}

/// `true` when `pointer` is one of `prefixes` (sorted) or lies under one.
fn under_any(pointer: &str, prefixes: &[String]) -> bool {
    let mut at = pointer;
    loop {
        if prefixes.binary_search_by(|p| p.as_str().cmp(at)).is_ok() {
            return true;
        }
        match at.rfind('/') {
            Some(i) if i > 0 => at = &at[..i],
            _ => return false,
        }
    }
}

/// The named type a selector names, or a problem.
fn select(api: &Api, target: &Located<Selector>, problems: &mut Vec<Problem>) -> Option<usize> {
    let found = match &target.value {
        Selector::Pointer(p) => api.types.iter().position(|t| t.pointer == *p),
        Selector::Name(n) => api.types.iter().position(|t| t.name == *n),
    };
    if found.is_none() {
        problems.push(target.problem(match &target.value {
            Selector::Pointer(p) if p.starts_with("/components/schemas/") => {
                format!("the spec has no schema #{p}")
            }
            Selector::Pointer(p) => format!("no generated type comes from the schema at #{p} (use `#/components/schemas/NAME` or a Rust type name)"),
            Selector::Name(n) => format!("no generated type is named `{n}` (use the Rust type name, or `#/components/schemas/NAME`)"),
        }));
    }
    found
}

/// A list for a message: at most 12 items, then how many more.
fn listing<'s>(items: impl IntoIterator<Item = &'s str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    let mut text = items.iter().take(12).map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
    if items.len() > 12 {
        text.push_str(&format!(" and {} more", items.len() - 12));
    }
    if text.is_empty() { "none".to_owned() } else { text }
}

/// Every filter entry must match something, and the filter must keep an operation.
fn check_filter(api: &Api, config: &ConfigFile, problems: &mut Vec<Problem>) {
    let f = &config.filter;
    let before = problems.len();
    let tags: BTreeSet<&str> = api.operations.iter().flat_map(|op| op.tags.iter().map(String::as_str)).collect();
    for t in f.include_tags.iter().chain(&f.exclude_tags) {
        if !tags.contains(t.value.as_str()) {
            problems.push(t.problem(format!("no operation has the tag {:?}; the tags are: {}", t.value, listing(tags.iter().copied()))));
        }
    }
    for g in f.include_operations.iter().chain(&f.exclude_operations) {
        if !api.operations.iter().any(|op| op.operation_id.as_deref().is_some_and(|id| g.value.matches(id))) {
            problems.push(g.problem(format!("{:?} matches no operationId", g.value.as_str())));
        }
    }
    for p in f.include_paths.iter().chain(&f.exclude_paths) {
        if !api.operations.iter().any(|op| crate::config_file::path_under(&op.path, &p.value)) {
            problems.push(p.problem(format!("no operation's path starts with {:?}", p.value)));
        }
    }
    let first = f.include_tags.iter().chain(&f.include_paths).chain(&f.exclude_tags).chain(&f.exclude_paths).next();
    let first = first.map(|l| (l.key.clone(), l.line_col)).or_else(|| {
        f.include_operations.iter().chain(&f.exclude_operations).next().map(|l| (l.key.clone(), l.line_col))
    });
    // (Only worth saying when every entry matches something.)
    if let Some((key, line_col)) = first
        && problems.len() == before
        && !api.operations.is_empty()
        && !api.operations.iter().any(|op| f.keeps(&op.tags, op.operation_id.as_deref(), &op.path))
    {
        let key = key.split('.').next().unwrap_or("filter").to_owned();
        problems.push(Problem { pointer: key, message: "the filter keeps no operation".to_owned(), line_col });
    }
}

/// The generated crate's extra dependencies: the spec's (`x-rust-type`)
/// overridden by the configuration's; every path the configuration names
/// must be in a crate the generated crate has.
fn dependencies(api: &Api, config: &ConfigFile, problems: &mut Vec<Problem>) -> Vec<Dependency> {
    let mut deps: Vec<Dependency> = api.dependencies.clone();
    let mut configured: HashMap<String, &Located<Dependency>> = HashMap::new();
    let given = config
        .replace
        .iter()
        .filter_map(|r| r.dependency.as_ref())
        .chain(config.derives.all.iter().chain(config.derives.types.iter().flat_map(|(_, l)| l)).filter_map(|d| d.dependency.as_ref()));
    for dep in given {
        if let Some(first) = configured.get(&dep.value.name) {
            if first.value.spec != dep.value.spec {
                problems.push(dep.problem(format!(
                    "`{}` is also given as {} at {}; give one crate one dependency line",
                    dep.value.name, first.value.spec, first.key
                )));
            }
            continue;
        }
        configured.insert(dep.value.name.clone(), dep);
        deps.retain(|d| d.name != dep.value.name);
        deps.push(dep.value.clone());
    }
    deps.sort();
    let crates: BTreeSet<String> = ["std", "core", "alloc", "crate"]
        .iter()
        .map(|s| (*s).to_owned())
        .chain(FIXED_DEPENDENCIES.iter().map(|s| s.replace('-', "_")))
        .chain(deps.iter().map(|d| d.name.replace('-', "_")))
        .collect();
    let paths = config
        .replace
        .iter()
        .map(|r| (&r.path.value, r.path.key.as_str(), r.path.line_col))
        .chain(config.derives.all.iter().chain(config.derives.types.iter().flat_map(|(_, l)| l)).filter_map(|d| match &d.name.value {
            crate::config_file::DeriveName::Path(p) => Some((p, d.name.key.as_str(), d.name.line_col)),
            _ => None,
        }));
    for (path, key, line_col) in paths {
        let first = path.trim_start_matches("::").split("::").next().unwrap_or_default();
        if !crates.contains(first) {
            problems.push(Problem {
                pointer: key.to_owned(),
                message: format!("`{}` is in crate `{first}`, which the generated crate does not depend on; add `dependency = '{first} = \"VERSION\"'`", path.trim_start_matches("::")),
                line_col,
            });
        }
    }
    deps
}

/// Every type reference an operation holds.
fn operation_refs(op: &Operation) -> impl Iterator<Item = &TypeRef> {
    op.params
        .iter()
        .map(|p| &p.ty)
        .chain(op.body.iter().map(|b| &b.ty))
        .chain(op.success.iter().chain(&op.errors).filter_map(|r| match &r.body {
            ResponseBody::Json(t) | ResponseBody::Events(t) | ResponseBody::JsonLines { item: t, .. } => Some(t),
            _ => None,
        }))
        .chain(op.success_type.iter())
        .chain(op.error_type.iter())
        .chain(op.pagination.iter().map(|p| &p.item))
}

/// Calls `f` with the index of every named type an operation refers to directly.
fn operation_ids(op: &Operation, f: &mut impl FnMut(usize)) {
    for r in operation_refs(op) {
        r.for_each_id(&mut |id| f(id.0));
    }
}

/// Calls `f` with the index of every named type a type's definition refers to directly.
fn kind_ids(kind: &TypeKind, f: &mut impl FnMut(usize)) {
    kind.for_each_ref(&mut |r| r.for_each_id(&mut |id| f(id.0)));
}

/// The index of every type by name.
fn index_by_name(api: &Api) -> HashMap<&str, usize> {
    api.types.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_under_removed_parts() {
        let mut gone = vec!["/paths/~1a/get".to_owned(), "/components/schemas/Pet".to_owned()];
        gone.sort();
        assert!(under_any("/paths/~1a/get", &gone));
        assert!(under_any("/paths/~1a/get/responses/200", &gone));
        assert!(under_any("/components/schemas/Pet/properties/x", &gone));
        assert!(!under_any("/components/schemas/Pets", &gone));
        assert!(!under_any("/components/schemas/Pets/properties/x", &gone));
        assert!(!under_any("/paths/~1a/getter", &gone));
        assert!(!under_any("/paths/~1a", &gone));
    }
}
