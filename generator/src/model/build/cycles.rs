//! Recursive types: fields that make a type contain itself are boxed (per
//! strongly connected component), and aliases that refer to themselves
//! become JSON values.

use std::collections::BTreeSet;

use super::*;
use crate::error::WarningKind;

impl<'a> Builder<'a> {
    /// Boxes fields that make a type contain itself, and replaces aliases
    /// that refer to themselves (which Rust cannot express) with JSON values.
    pub(super) fn break_cycles(&mut self) {
        // Aliases that reach themselves through aliases only.
        let alias_cycles: Vec<usize> = (0..self.types.len())
            .filter(|&i| {
                let TypeKind::Alias(t) = &self.types[i].kind else { return false };
                let mut stack: Vec<usize> = Vec::new();
                named_in(t, &mut stack);
                let mut seen = BTreeSet::new();
                while let Some(j) = stack.pop() {
                    if j == i {
                        return true;
                    }
                    if !seen.insert(j) {
                        continue;
                    }
                    if let TypeKind::Alias(t) = &self.types[j].kind {
                        named_in(t, &mut stack);
                    }
                }
                false
            })
            .collect();
        for i in alias_cycles {
            let ptr = self.types[i].pointer.clone();
            self.warn(WarningKind::UntypedSchema, ptr, "this schema refers to itself with no object in between; it is read as any JSON value");
            self.types[i].kind = TypeKind::Alias(TypeRef::Json);
        }
        // Direct (unboxed) containment edges.
        let edges: Vec<Vec<usize>> = self
            .types
            .iter()
            .map(|t| {
                let mut out = Vec::new();
                let mut push = |ty: &TypeRef| {
                    if let Some(j) = direct_named(ty) {
                        out.push(j);
                    }
                };
                match &t.kind {
                    TypeKind::Struct { fields, .. } => fields.iter().for_each(|f| push(&f.ty)),
                    TypeKind::Union { variants } => variants.iter().for_each(|v| push(&v.ty)),
                    TypeKind::Alias(ty) => push(ty),
                    TypeKind::Responses { variants } => variants.iter().filter_map(|v| v.ty.as_ref()).for_each(push),
                    _ => {}
                }
                out
            })
            .collect();
        let scc = tarjan(&edges);
        for i in 0..self.types.len() {
            let my = scc[i];
            let needs_box = |ty: &TypeRef| direct_named(ty).is_some_and(|j| scc[j] == my);
            match &mut self.types[i].kind {
                TypeKind::Struct { fields, .. } => {
                    for f in fields.iter_mut() {
                        if needs_box(&f.ty) {
                            f.ty = TypeRef::Boxed(Box::new(f.ty.clone()));
                        }
                    }
                }
                TypeKind::Union { variants } => {
                    for v in variants.iter_mut() {
                        if needs_box(&v.ty) {
                            v.ty = TypeRef::Boxed(Box::new(v.ty.clone()));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The named type a reference holds directly (not behind a `Vec`, map or box).
fn direct_named(t: &TypeRef) -> Option<usize> {
    match t {
        TypeRef::Named(id) => Some(id.0),
        _ => None,
    }
}

/// Every named type inside a reference.
fn named_in(t: &TypeRef, out: &mut Vec<usize>) {
    match t {
        TypeRef::Named(id) => out.push(id.0),
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Boxed(i) | TypeRef::Option(i) => named_in(i, out),
        _ => {}
    }
}

/// Strongly connected components (Tarjan, iterative); returns the component of each node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut comps = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(top) = work.last_mut() {
            let (v, ei) = *top;
            if let Some(&w) = edges[v].get(ei) {
                top.1 += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = comps;
                    if w == v {
                        break;
                    }
                }
                comps += 1;
            }
        }
    }
    // A node alone in its component is only recursive through a self-edge.
    let mut size = vec![0usize; comps];
    for &c in &comp {
        size[c] += 1;
    }
    comp.iter()
        .enumerate()
        .map(|(v, &c)| if size[c] == 1 && !edges[v].contains(&v) { comps + v } else { c })
        .collect()
}
