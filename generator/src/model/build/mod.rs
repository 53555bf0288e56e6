//! Builds the model from a loaded spec: resolves references, names every
//! type, parameter and operation (through [`crate::naming`]), and records a
//! warning with a JSON pointer wherever a construct falls back to a safe type.
//!
//! One `Builder` walks the spec; its work is split by concern:
//! `schemas` (schema → type, named types, enums), `all_of` (`allOf` merging
//! into structs), `unions` (`oneOf`/`anyOf`), `cycles` (boxing recursive
//! types), `operations` (operations and their parameters), `paths` (path
//! templates), `bodies` (request bodies and media types), `responses`
//! (success and error responses), `auth` (security schemes), `rust_type`
//! (the `x-rust-type` extension), `surface` (parameter encodings and each
//! operation's arguments, once the types are final) and `pagination`
//! (paginated operations).

mod all_of;
mod auth;
pub(crate) mod bodies;
mod cycles;
mod operations;
mod pagination;
mod paths;
mod responses;
mod rust_type;
mod schemas;
pub(crate) mod surface;
mod unions;

use rustc_hash::FxHashMap as HashMap;

use openapiv3::OpenAPI;

use super::*;
use crate::error::{Problem, WarningKind, pointer_token};
use crate::load::resolve::Resolver;
use crate::naming::{self, Scope};

/// Builds the model of `api`. Every problem found is reported together.
pub fn build(api: &OpenAPI) -> Result<Api, Vec<Problem>> {
    let mut b = Builder {
        api,
        resolver: Resolver::new(api),
        types: Vec::new(),
        type_scope: Scope::new(),
        components: HashMap::default(),
        order: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
        all_of_chain: Vec::new(),
        inline_stack: Vec::new(),
        inline_done: HashMap::default(),
        dependencies: Vec::new(),
    };
    b.components();
    let mut operations = b.operations();
    let auth = b.auth();
    b.order_types(&mut operations);
    b.break_cycles();
    b.surfaces(&mut operations);
    b.paginate(&mut operations);
    if !b.problems.is_empty() {
        return Err(b.problems);
    }
    let mut warnings = b.warnings;
    warnings.sort();
    warnings.dedup();
    b.dependencies.sort();
    Ok(Api {
        title: api.info.title.clone(),
        description: api.info.description.clone(),
        spec_version: api.info.version.clone(),
        default_server: api.servers.first().map(|s| s.url.clone()).filter(|u| u.starts_with("http")),
        auth,
        types: b.types,
        operations,
        warnings,
        dependencies: b.dependencies,
        features: None,
    })
}

/// The state of one model build.
struct Builder<'a> {
    api: &'a OpenAPI,
    resolver: Resolver<'a>,
    types: Vec<TypeDef>,
    type_scope: Scope,
    /// Component schema name → its type (reserved before any is modelled,
    /// so references to later components have an id).
    components: HashMap<&'a str, TypeId>,
    /// The order types are emitted in: each component where it is defined,
    /// followed by the inline types met while modelling it (see
    /// `order_types`).
    order: Vec<TypeId>,
    problems: Vec<Problem>,
    warnings: Vec<Warning>,
    /// The `$ref`s being merged into an `allOf` (to report cycles).
    all_of_chain: Vec<String>,
    /// Addresses of the inline schemas being modelled (to stop cycles).
    inline_stack: Vec<usize>,
    /// Inline schemas already modelled (by address), with their type.
    inline_done: HashMap<usize, (TypeRef, bool)>,
    /// Crates named by `x-rust-type` extensions.
    dependencies: Vec<Dependency>,
}

fn child(ptr: &str, token: &str) -> String {
    format!("{ptr}/{}", pointer_token(token))
}

/// Title and description, joined.
fn doc_of(title: Option<&str>, description: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [title, description].into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some((*one).to_owned()),
        [t, d] if d.starts_with(t) => Some((*d).to_owned()),
        _ => Some(parts.join("\n\n")),
    }
}

fn is_json_media(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*" || (m.starts_with("application/") && m.contains("json"))
}

fn is_text_media(media: &str) -> bool {
    let m = media.to_ascii_lowercase();
    m.starts_with("text/") || m.contains("xml") || m.contains("csv")
}

impl<'a> Builder<'a> {
    fn warn(&mut self, kind: WarningKind, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, pointer, message));
    }

    fn new_type(&mut self, hint: &str, pointer: &str, doc: Option<String>) -> (String, TypeId) {
        let name = self.type_scope.unique(naming::type_name(hint));
        let id = self.reserve_type(name.clone(), pointer, doc);
        self.order.push(id);
        (name, id)
    }

    /// Adds a type (a JSON alias until its kind is known) to the table.
    fn reserve_type(&mut self, name: String, pointer: &str, doc: Option<String>) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef::new(name, pointer.to_owned(), doc, TypeKind::Alias(TypeRef::Json)));
        id
    }

    /// Puts the type table in emission order (`order`) and renumbers every
    /// reference to it, in the types and in `operations`.
    fn order_types(&mut self, operations: &mut [Operation]) {
        let mut position = vec![TypeId(0); self.types.len()];
        for (pos, id) in self.order.iter().enumerate() {
            position[id.0] = TypeId(pos);
        }
        let mut old: Vec<Option<TypeDef>> = std::mem::take(&mut self.types).into_iter().map(Some).collect();
        self.types = self.order.iter().filter_map(|id| old[id.0].take()).collect();
        let mut renumber = |t: &mut TypeRef| t.for_each_id_mut(&mut |id| *id = position[id.0]);
        for t in &mut self.types {
            t.kind.for_each_ref_mut(&mut renumber);
        }
        for op in operations {
            op.for_each_ref_mut(&mut renumber);
        }
    }
}
