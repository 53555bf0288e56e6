//! Pruning: the types no kept operation reaches are removed.
//!
//! The roots are the operations' parameters, bodies and responses (and,
//! when `keep_components` is set, every component schema: without a filter
//! they are the spec's public types, used or not). Everything reachable
//! from a root through fields, variants and aliases is kept, in its order;
//! nothing is renamed. The type table is compacted and every [`TypeId`] in
//! the types and operations renumbered to match.

use super::{kind_ids, operation_ids};
use crate::model::{Api, Operation, TypeId};

/// Whether a type comes from `#/components/schemas/NAME` itself.
pub(super) fn is_component(pointer: &str) -> bool {
    pointer.strip_prefix("/components/schemas/").is_some_and(|name| !name.contains('/'))
}

/// The types each type refers to, by index.
pub(super) fn edges(api: &Api) -> Vec<Vec<usize>> {
    api.types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            kind_ids(&t.kind, &mut |i| out.push(i));
            out
        })
        .collect()
}

/// Marks every type reachable from `roots`.
pub(super) fn reach(edges: &[Vec<usize>], roots: impl IntoIterator<Item = usize>, seen: &mut [bool]) {
    let mut stack: Vec<usize> = roots.into_iter().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        stack.extend(edges[i].iter().copied().filter(|j| !seen[*j]));
    }
}

/// The indices of the types an operation refers to directly.
pub(super) fn operation_roots(op: &Operation) -> Vec<usize> {
    let mut out = Vec::new();
    operation_ids(op, &mut |i| out.push(i));
    out
}

/// Removes the unreachable types (renumbering the references to the rest);
/// returns their pointers.
pub(super) fn prune(api: &mut Api, keep_components: bool) -> Vec<String> {
    let edges = edges(api);
    let mut seen = vec![false; api.types.len()];
    let mut roots: Vec<usize> = api.operations.iter().flat_map(operation_roots).collect();
    if keep_components {
        roots.extend(api.types.iter().enumerate().filter(|(_, t)| is_component(&t.pointer)).map(|(i, _)| i));
    }
    reach(&edges, roots, &mut seen);
    if seen.iter().all(|kept| *kept) {
        return Vec::new();
    }
    // Old index → new index (kept types only).
    let mut position = vec![TypeId(usize::MAX); seen.len()];
    let mut next = 0;
    for (old, kept) in seen.iter().enumerate() {
        if *kept {
            position[old] = TypeId(next);
            next += 1;
        }
    }
    let mut removed = Vec::new();
    let mut keep = seen.iter();
    api.types.retain(|t| {
        let kept = keep.next().copied().unwrap_or(true);
        if !kept {
            removed.push(t.pointer.clone());
        }
        kept
    });
    // Kept types only refer to kept types (reachability is transitive).
    let mut renumber = |t: &mut crate::model::TypeRef| t.for_each_id_mut(&mut |id| *id = position[id.0]);
    for t in &mut api.types {
        t.kind.for_each_ref_mut(&mut renumber);
    }
    for op in &mut api.operations {
        op.for_each_ref_mut(&mut renumber);
    }
    removed
}
