//! Per-tag cargo features (`[features] per_tag = true`).
//!
//! Each tag gets a feature named after it in kebab-case (through
//! [`crate::naming::feature_names`]; names are decided from every tag of the
//! spec before filtering, so they do not move when the filter changes). An
//! operation is compiled when any of its tags' features is enabled (an
//! operation without tags always is). A type is behind a feature when the
//! operations that reach it all belong to that one tag; a type reached by
//! several tags or by an untagged operation is always compiled; a type no
//! operation reaches is behind `full`. Reachability is transitive, so a type
//! behind feature `f` only refers to types that are always compiled or
//! behind `f` too, and a type behind `full` only to types behind `full`,
//! behind a tag feature (`full` enables them all) or always compiled.

use std::collections::HashMap;

use super::prune::{edges, operation_roots};
use crate::config_file::{ConfigFile, FIXED_DEPENDENCIES, TLS_FEATURES};
use crate::error::Problem;
use crate::model::{Api, Dependency, Features};

/// The feature of every tag, and the default features.
pub(super) struct Names {
    by_tag: HashMap<String, String>,
    default: Vec<String>,
}

/// The features every generated crate has besides the tag ones.
const FULL: &str = "full";

/// Feature names for every tag of the (unfiltered) model; checks `default`.
pub(super) fn names(api: &Api, config: &ConfigFile, deps: &[Dependency], problems: &mut Vec<Problem>) -> Option<Names> {
    if !config.features.per_tag {
        return None;
    }
    let mut tags: Vec<&str> = Vec::new();
    for op in &api.operations {
        for t in &op.tags {
            if !tags.contains(&t.as_str()) {
                tags.push(t);
            }
        }
    }
    // `default`, `full`, the TLS features and dependency names (a feature
    // named like a dependency reads as that dependency's feature).
    let mut reserved: Vec<String> = vec!["default".to_owned(), FULL.to_owned()];
    reserved.extend(FIXED_DEPENDENCIES.iter().map(|d| d.replace('_', "-")));
    reserved.extend(TLS_FEATURES.iter().map(|f| (*f).to_owned()));
    reserved.extend(deps.iter().map(|d| d.name.replace('_', "-")));
    let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
    let features = crate::naming::feature_names(tags.iter().copied(), &reserved);
    let by_tag: HashMap<String, String> = tags.iter().map(|t| (*t).to_owned()).zip(features).collect();
    // Tags of the operations the filter keeps: only they get a feature.
    let kept: Vec<&str> = api
        .operations
        .iter()
        .filter(|op| config.filter.keeps(&op.tags, op.operation_id.as_deref(), &op.path))
        .flat_map(|op| op.tags.iter().map(String::as_str))
        .collect();
    let mut default = Vec::new();
    match &config.features.default {
        None => default.push(FULL.to_owned()),
        Some(list) => {
            for entry in list {
                let v = entry.value.as_str();
                let feature = if v == FULL {
                    Some(FULL.to_owned())
                } else {
                    let tag = kept.iter().find(|t| **t == v || by_tag.get(**t).is_some_and(|f| f == v));
                    tag.map(|t| by_tag[*t].clone())
                };
                match feature {
                    Some(f) if !default.contains(&f) => default.push(f),
                    Some(_) => {}
                    None => {
                        let mut known: Vec<&str> = kept.iter().map(|t| by_tag[*t].as_str()).collect();
                        known.sort_unstable();
                        known.dedup();
                        problems.push(entry.problem(format!(
                            "{v:?} is not a feature of the generated crate (`full`, or a tag or its feature: {})",
                            super::listing(known.iter().copied())
                        )));
                    }
                }
            }
        }
    }
    Some(Names { by_tag, default })
}

/// Whether a type is always compiled or behind one feature.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    Unreached,
    One(usize),
    Always,
}

/// Puts operations and the types only one tag uses behind features.
pub(super) fn apply(api: &mut Api, names: Option<&Names>) {
    let Some(names) = names else { return };
    let mut used: Vec<String> = Vec::new();
    for op in &mut api.operations {
        op.features = Vec::new();
        for t in &op.tags {
            let f = &names.by_tag[t];
            if !op.features.contains(f) {
                op.features.push(f.clone());
            }
            if !used.contains(f) {
                used.push(f.clone());
            }
        }
    }
    let feature_index: HashMap<&str, usize> = used.iter().enumerate().map(|(i, f)| (f.as_str(), i)).collect();
    let edges = edges(api);
    let mut gates = vec![Gate::Unreached; api.types.len()];
    for op in &api.operations {
        let roots = operation_roots(op);
        let op_gates: Vec<Gate> = if op.features.is_empty() {
            vec![Gate::Always]
        } else {
            op.features.iter().map(|f| Gate::One(feature_index[f.as_str()])).collect()
        };
        for gate in op_gates {
            let mut stack = roots.clone();
            while let Some(i) = stack.pop() {
                let merged = match (gates[i], gate) {
                    (Gate::Unreached, g) => g,
                    (Gate::One(a), Gate::One(b)) if a == b => continue,
                    // Reached before under another gate: everything it
                    // reaches was too, so it is always compiled already.
                    (Gate::Always, _) => continue,
                    _ => Gate::Always,
                };
                gates[i] = merged;
                stack.extend(edges[i].iter().copied());
            }
        }
    }
    // A type no operation reaches (a webhook payload, say) is behind `full`.
    // What it refers to is either unreached too or reached by an operation,
    // so behind a tag feature (which `full` enables) or always compiled.
    for (t, gate) in api.types.iter_mut().zip(gates) {
        t.features = match gate {
            Gate::One(f) => vec![used[f].clone()],
            Gate::Unreached if !used.is_empty() => vec![FULL.to_owned()],
            _ => Vec::new(),
        };
    }
    let mut tags: Vec<(String, String)> =
        names.by_tag.iter().filter(|(_, f)| feature_index.contains_key(f.as_str())).map(|(t, f)| (f.clone(), t.clone())).collect();
    tags.sort();
    api.features = Some(Features { tags, default: names.default.clone() });
}
