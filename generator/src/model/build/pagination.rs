//! Pagination: which operations return one page of a longer list, and how
//! the client finds the next page. The result is an operation's
//! [`Pagination`]: the rule, the query parameter(s) it drives, the path to
//! the page's items and their type, and the fields that say whether and
//! where the list goes on. Emit turns it into `.pages()` and `.items()`.
//!
//! An operation is paginated when its success response is one JSON body (a
//! struct, or an array for the rules that do not read the body) and one of
//! these holds, tried in this order; the first that applies decides:
//!
//! 1. **`x-speakeasy-pagination`** on the operation, read as Speakeasy
//!    documents it: `type: offsetLimit` (an input of `type: offset`, moved
//!    by the number of items received, or `type: page`, moved by one; an
//!    optional `type: limit` input; `outputs.results`, and `numPages` for
//!    pages), `type: cursor` (an input of `type: cursor` and
//!    `outputs.nextCursor`) or `type: url` (`outputs.nextUrl`). Inputs must
//!    be query parameters (`in: parameters`); output paths are `$.a.b`.
//! 2. **`x-fern-pagination`** on the operation (`true` takes the one at the
//!    document root), read as Fern documents it: `cursor: $request.p` with
//!    `next_cursor: $response.a.b`; `offset: $request.p` (a page index moved
//!    by one, or with `step: $request.limit` an item offset moved by the
//!    items received) with an optional `has-next-page`; `next_uri` or
//!    `next_path: $response.a.b`; and `results: $response.a.b` for the items.
//!
//!    A malformed extension (wrong shape, a path or parameter that does not
//!    exist or has the wrong type, an input the client cannot set) is a
//!    warning naming its JSON pointer, and the operation stays unpaginated:
//!    no shape is guessed instead.
//!
//! Then, for `GET` operations, shapes common in real APIs. Field names are
//! compared without case, `_`, `-`, `.`, `$` and `@`; "one" means exactly
//! one (two candidates are ambiguous and nothing is paginated):
//!
//! 3. **Cursor**: one cursor query parameter (`cursor`, `page_token`,
//!    `after`, `starting_after`, `next_token`, `continuation_token`,
//!    `marker`, `iterator`, `page[after]`, …) and one next-cursor field in
//!    the response (`next_cursor`, `next_page_token`, `next_token`,
//!    `continuation_token`, `end_cursor`, `after_cursor`, `next_marker`; else
//!    a field named like the parameter; else `next` or `next_page`) at the
//!    top level or up to two levels down (`{data: {items, next_cursor}}`,
//!    `{meta: {pagination: {nextCursor}}}`). The next request sends the
//!    cursor; an absent, null or empty cursor, or the same cursor again,
//!    ends the walk. A bare `next`/`next_page` may hold a cursor or the next
//!    page's URL (Django REST framework): an absolute `http(s)` value is
//!    followed as a URL.
//! 4. **`Link` header**: the success response declares a `Link` header
//!    (GitHub). The next page is its `rel="next"` URL (RFC 8288), followed as
//!    given; none ends the walk.
//! 5. **Next-page URL**: one field holding the next page's URL
//!    (`next_url`, `next_page_url`, `next_link`, `@odata.nextLink`, or `next`
//!    / `next_page` next to a `previous`/`prev` field or inside a
//!    `links`/`pagination`/`paging` object) at the top level or below; it is
//!    followed as given, relative URLs against the page's own; none ends.
//! 6. **Offset/limit**: one offset query parameter (`offset`, `skip`,
//!    `$skip`) and at most one page size parameter (`limit`, `page_size`,
//!    `per_page`, `size`, `max_results`, `take`, `top`, …). The offset moves
//!    by the number of items received; an empty page, fewer items than the
//!    page size asked for, or the `total` (`total`, `total_count`,
//!    `total_entries`, `total_results`, …) reached ends the walk.
//! 7. **Page/per_page**: one page number query parameter (`page`,
//!    `page_number`, `page_num`, `page_index`, …), counted from its default
//!    or minimum (else 1). An empty page, or the last page when the
//!    response gives the page count (`total_pages`, `num_pages`,
//!    `page_count`, `last_page`, …), ends the walk.
//!
//! Every rule needs the page's items: the body itself when it is an array,
//! else its one array field, else (no array at the top level) the one array
//! one level down (`{data: {items: [...]}}`) when no other array sits one or
//! two levels down. Two candidates (`{users: [], teams: []}`, or `{data:
//! {tags: [], page: {items: []}}}`) are ambiguous: not paginated. Any rule also stops when a boolean
//! field says so: `has_more`, `has_next`, `has_next_page`, `is_truncated`…
//! false, or `done`, `end_of_stream`, `is_last`, `last`… true.

use std::collections::HashMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};
use serde_json::Value;

use super::*;
use crate::error::{Warning, WarningKind};

const CURSOR_PARAMS: &[&str] = &[
    "cursor", "pagetoken", "pagecursor", "after", "startingafter", "startafter", "nexttoken", "nextpagetoken", "nextcursor",
    "continuationtoken", "continuation", "marker", "iterator", "pageafter", "startcursor",
];
const NEXT_CURSOR_FIELDS: &[&str] = &[
    "nextcursor", "nextpagetoken", "nexttoken", "nextpagecursor", "continuationtoken", "nextcontinuationtoken", "endcursor",
    "aftercursor", "nextmarker", "nextiterator",
];
const NEXT_URL_FIELDS: &[&str] = &[
    "nexturl", "nextpageurl", "nextlink", "nextpagelink", "nexturi", "nextpageuri", "odatanextlink", "nexthref",
];
const LINK_OBJECTS: &[&str] = &["links", "link", "pagination", "paging", "pageinfo"];
const PREVIOUS_FIELDS: &[&str] = &["previous", "prev", "previouspage", "prevpage", "previousurl", "prevurl"];
const MORE_FIELDS: &[&str] = &["hasmore", "hasnext", "hasnextpage", "hasmoreitems", "hasmoreresults", "moreresults", "istruncated", "truncated"];
const DONE_FIELDS: &[&str] = &["done", "endofstream", "islast", "last", "islastpage", "lastpage"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
const LIMIT_PARAMS: &[&str] = &[
    "limit", "pagesize", "perpage", "size", "maxresults", "maxitems", "take", "top", "itemsperpage", "resultsperpage", "pagelimit",
];
const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pagenum", "pageno", "pageindex"];
const TOTAL_FIELDS: &[&str] = &[
    "total", "totalcount", "totalitems", "totalresults", "totalentries", "totalrecords", "totalsize", "totalelements", "totalhits",
];
const TOTAL_PAGES_FIELDS: &[&str] = &["totalpages", "numpages", "pagecount", "numberofpages", "lastpage", "pages"];

/// A name compared loosely: lower case, without `_`, `-`, `.`, `$`, `@`, `[`, `]`.
fn loose(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Read-only view of the named types.
struct Shapes<'t> {
    types: &'t [TypeDef],
}

/// What a type is, seen through aliases and boxes.
enum Shape<'t> {
    Struct(&'t [Field]),
    Array(&'t TypeRef),
    Other(&'t TypeRef),
}

impl<'t> Shapes<'t> {
    fn new(types: &'t [TypeDef]) -> Self {
        Shapes { types }
    }

    fn kind(&self, id: TypeId) -> Option<&'t TypeKind> {
        self.types.get(id.0).map(|t| &t.kind)
    }

    fn shape(&self, mut t: &'t TypeRef) -> Shape<'t> {
        for _ in 0..32 {
            match t {
                TypeRef::Boxed(inner) => t = inner,
                TypeRef::Vec(item) => return Shape::Array(item),
                TypeRef::Named(id) => match self.kind(*id) {
                    Some(TypeKind::Struct { fields, .. }) => return Shape::Struct(fields),
                    Some(TypeKind::Alias(target)) => t = target,
                    _ => return Shape::Other(t),
                },
                _ => return Shape::Other(t),
            }
        }
        Shape::Other(t)
    }

    fn fields(&self, t: &'t TypeRef) -> Option<&'t [Field]> {
        match self.shape(t) {
            Shape::Struct(fields) => Some(fields),
            _ => None,
        }
    }

    /// The scalar a type is (through aliases), if it is one.
    fn scalar(&self, t: &'t TypeRef) -> Option<&'t TypeRef> {
        match self.shape(t) {
            Shape::Other(t @ (TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 | TypeRef::Bool | TypeRef::Uuid)) => {
                Some(t)
            }
            Shape::Other(TypeRef::Named(id)) => match self.kind(*id) {
                // A string enum or integer newtype is sent as its value.
                Some(TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. }) => Some(t),
                _ => None,
            },
            _ => None,
        }
    }
}

fn step(f: &Field) -> FieldStep {
    FieldStep { field: f.name.clone(), wire: f.wire.clone(), presence: f.presence, boxed: matches!(f.ty, TypeRef::Boxed(_)) }
}

/// Accepts a field by itself, its siblings and the field holding it.
type Pick<'p> = dyn Fn(&Field, &[Field], Option<&Field>) -> bool + 'p;

/// Kinds of value a control field may hold.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    /// A cursor: a string, integer or enum.
    Cursor,
    /// A URL: a string.
    Url,
    /// A boolean.
    Bool,
    /// A count: an integer (or a number).
    Count,
}

impl Shapes<'_> {
    fn fits(&self, t: &TypeRef, want: Want) -> bool {
        matches!(
            (self.scalar(t), want),
            (Some(TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::Uuid | TypeRef::Named(_)), Want::Cursor)
                | (Some(TypeRef::String), Want::Url)
                | (Some(TypeRef::Bool), Want::Bool)
                | (Some(TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::F32), Want::Count)
        )
    }

    /// The one field (at the top level, else one level down, else two)
    /// that `pick` accepts and whose value fits `want`; `None` when there
    /// is none or when two are found at the same depth.
    fn find(&self, fields: &[Field], want: Want, pick: &Pick<'_>) -> Option<FieldPath> {
        let mut level: Vec<(FieldPath, &[Field], Option<&Field>)> = vec![(Vec::new(), fields, None)];
        for _ in 0..3 {
            let mut found = Vec::new();
            let mut next = Vec::new();
            for (path, fields, parent) in &level {
                for f in fields.iter() {
                    let mut here = path.clone();
                    here.push(step(f));
                    if self.fits(&f.ty, want) && pick(f, fields, *parent) {
                        found.push(here);
                    } else if let Some(sub) = self.fields(&f.ty) {
                        next.push((here, sub, Some(f)));
                    }
                }
            }
            match found.len() {
                0 => level = next,
                1 => return found.pop(),
                _ => return None,
            }
        }
        None
    }

    /// The page's items: the body itself, its one array field, or (when it
    /// has none) the one array field one level down, provided no other
    /// array sits two levels down.
    fn items(&self, body: &TypeRef) -> Option<(FieldPath, TypeRef)> {
        let fields = match self.shape(body) {
            Shape::Array(item) => return Some((Vec::new(), item.clone())),
            Shape::Struct(fields) => fields,
            Shape::Other(_) => return None,
        };
        let mut level: Vec<(FieldPath, &[Field])> = vec![(Vec::new(), fields)];
        let mut found: Vec<Vec<(FieldPath, TypeRef)>> = Vec::new();
        for _ in 0..3 {
            let mut arrays = Vec::new();
            let mut next = Vec::new();
            for (path, fields) in &level {
                for f in fields.iter() {
                    let mut here = path.clone();
                    here.push(step(f));
                    match self.shape(&f.ty) {
                        Shape::Array(item) => arrays.push((here, item.clone())),
                        Shape::Struct(sub) => next.push((here, sub)),
                        Shape::Other(_) => {}
                    }
                }
            }
            found.push(arrays);
            level = next;
        }
        match (found[0].len(), found[1].len(), found[2].len()) {
            (1, _, _) => found[0].pop(),
            (0, 1, 0) => found[1].pop(),
            _ => None,
        }
    }

    /// The fields on a path of wire names (`data.next`), with the type at its end.
    fn path<'p>(&self, body: &TypeRef, wires: &[&'p str]) -> Result<(FieldPath, TypeRef), &'p str> {
        let mut t = body.clone();
        let mut path = Vec::new();
        for wire in wires {
            let fields = self.fields(&t).ok_or(*wire)?;
            let f = fields.iter().find(|f| f.wire == *wire).ok_or(*wire)?;
            path.push(step(f));
            t = f.ty.clone();
        }
        Ok((path, t))
    }
}

/// The success body of an operation that can be a page.
fn page_body(op: &Operation) -> Option<&TypeRef> {
    if op.success_by_status {
        return None;
    }
    match op.success.first().map(|r| &r.body) {
        Some(ResponseBody::Json(t)) => Some(t),
        _ => None,
    }
}

/// The one query parameter whose loose name is in `names`.
fn query_param(op: &Operation, names: &[&str]) -> Option<ParamRef> {
    let mut found = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == ParamLocation::Query && names.contains(&loose(&p.wire).as_str()));
    let (index, p) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    Some(ParamRef { index, wire: p.wire.clone() })
}

/// The query parameter with this wire name.
fn query_param_named(op: &Operation, wire: &str) -> Option<ParamRef> {
    op.params
        .iter()
        .position(|p| p.location == ParamLocation::Query && p.wire == wire)
        .map(|index| ParamRef { index, wire: wire.to_owned() })
}

impl<'a> Builder<'a> {
    /// Finds the pagination of every operation (after types are final).
    pub(super) fn paginate(&mut self, ops: &mut [Operation]) {
        let mut warnings = Vec::new();
        {
            let shapes = Shapes::new(&self.types);
            for op in ops.iter_mut() {
                op.pagination = self.pagination(op, &shapes, &mut warnings);
            }
        }
        self.warnings.extend(warnings);
    }

    fn spec_operation(&self, op: &Operation) -> Option<&'a openapiv3::Operation> {
        let ReferenceOr::Item(item) = self.api.paths.paths.get(&op.path)? else { return None };
        item.iter().find(|(m, _)| m.eq_ignore_ascii_case(&op.method)).map(|(_, o)| o)
    }

    fn pagination(&self, op: &Operation, shapes: &Shapes<'_>, warnings: &mut Vec<Warning>) -> Option<Pagination> {
        let spec = self.spec_operation(op)?;
        if let Some(ext) = spec.extensions.get("x-speakeasy-pagination") {
            let ptr = format!("{}/x-speakeasy-pagination", op.pointer);
            return self.extension(op, warnings, &ptr, |b| b.speakeasy(op, shapes, ext, &ptr));
        }
        if let Some(ext) = spec.extensions.get("x-fern-pagination") {
            let mut ptr = format!("{}/x-fern-pagination", op.pointer);
            let ext = match ext {
                Value::Bool(true) => match self.api.extensions.get("x-fern-pagination") {
                    Some(root) => {
                        ptr = "/x-fern-pagination".to_owned();
                        root
                    }
                    None => {
                        warnings.push(Warning::new(
                            WarningKind::Pagination,
                            ptr,
                            "`x-fern-pagination: true` but the document has no `x-fern-pagination` at its root; the operation is not paginated",
                        ));
                        return None;
                    }
                },
                Value::Bool(false) => return None,
                other => other,
            };
            return self.extension(op, warnings, &ptr, |b| b.fern(op, shapes, ext, &ptr));
        }
        if op.method != "GET" {
            return None;
        }
        self.detect(op, spec, shapes)
    }

    /// Runs an extension reader: its problem becomes a warning.
    fn extension(
        &self,
        op: &Operation,
        warnings: &mut Vec<Warning>,
        ptr: &str,
        read: impl FnOnce(&Self) -> Result<Pagination, (String, String)>,
    ) -> Option<Pagination> {
        if page_body(op).is_none() {
            warnings.push(Warning::new(
                WarningKind::Pagination,
                ptr,
                "the operation's success response is not one JSON body; the operation is not paginated",
            ));
            return None;
        }
        match read(self) {
            Ok(p) => Some(p),
            Err((at, message)) => {
                warnings.push(Warning::new(WarningKind::Pagination, at, format!("{message}; the operation is not paginated")));
                None
            }
        }
    }

    /// Pagination from the recognised shapes (rules 3 to 7 of the module docs).
    fn detect(&self, op: &Operation, spec: &'a openapiv3::Operation, shapes: &Shapes<'_>) -> Option<Pagination> {
        let body = page_body(op)?;
        let (items, item) = shapes.items(body)?;
        let fields = shapes.fields(body).unwrap_or(&[]);
        let named = |names: &'static [&'static str]| move |f: &Field, _: &[Field], _: Option<&Field>| names.contains(&loose(&f.wire).as_str());
        let more = shapes
            .find(fields, Want::Bool, &named(MORE_FIELDS))
            .map(|p| (p, true))
            .or_else(|| shapes.find(fields, Want::Bool, &named(DONE_FIELDS)).map(|p| (p, false)));
        let page = |rule, total| Pagination { rule, source: PageSource::Detected, items: items.clone(), item: item.clone(), more: more.clone(), total };
        // 3. Cursor.
        if let Some(param) = query_param(op, CURSOR_PARAMS) {
            let own = loose(&param.wire);
            let next = shapes
                .find(fields, Want::Cursor, &named(NEXT_CURSOR_FIELDS))
                .or_else(|| shapes.find(fields, Want::Cursor, &|f, _, _| loose(&f.wire) == own))
                .map(|next| (next, false))
                .or_else(|| {
                    let bare = shapes.find(fields, Want::Cursor, &|f, _, _| matches!(loose(&f.wire).as_str(), "next" | "nextpage"));
                    bare.map(|next| (next, true))
                });
            if let Some((next, or_url)) = next {
                return Some(page(PageRule::Cursor { param, next, or_url }, None));
            }
        }
        // 4. `Link` header.
        if let Some(ResponseBody::Json(_)) = op.success.first().map(|r| &r.body)
            && self.declares_link(spec, op)
        {
            return Some(page(PageRule::Link, None));
        }
        // 5. Next-page URL.
        let next_url = shapes.find(fields, Want::Url, &|f, siblings, parent| {
            let name = loose(&f.wire);
            NEXT_URL_FIELDS.contains(&name.as_str())
                || (matches!(name.as_str(), "next" | "nextpage")
                    && (siblings.iter().any(|s| PREVIOUS_FIELDS.contains(&loose(&s.wire).as_str()))
                        || parent.is_some_and(|p| LINK_OBJECTS.contains(&loose(&p.wire).as_str()))))
        });
        if let Some(next) = next_url {
            return Some(page(PageRule::NextUrl { next }, None));
        }
        // 6. Offset/limit.
        if let Some(param) = query_param(op, OFFSET_PARAMS) {
            let limit = query_param(op, LIMIT_PARAMS);
            let total = shapes.find(fields, Want::Count, &named(TOTAL_FIELDS));
            return Some(page(PageRule::Offset { param, limit, by_items: true }, total));
        }
        // 7. Page/per_page.
        if let Some(param) = query_param(op, PAGE_PARAMS) {
            let first = self.first_page(spec, op, &param.wire);
            let total = shapes.find(fields, Want::Count, &named(TOTAL_PAGES_FIELDS));
            return Some(page(PageRule::Page { param, first }, total));
        }
        None
    }

    /// `true` when the first success response declares a `Link` header.
    fn declares_link(&self, spec: &'a openapiv3::Operation, op: &Operation) -> bool {
        let Some(status) = op.success.first().map(|r| r.status) else { return false };
        let found = spec.responses.responses.iter().find(|(code, _)| match (code, status) {
            (openapiv3::StatusCode::Code(c), StatusMatch::Code(s)) => *c == s,
            (openapiv3::StatusCode::Range(r), StatusMatch::Range(s)) => *r == s,
            _ => false,
        });
        let response = match (found, status) {
            (Some((_, r)), _) => r,
            (None, StatusMatch::Default) => match &spec.responses.default {
                Some(r) => r,
                None => return false,
            },
            (None, _) => return false,
        };
        self.resolver
            .response(response, "")
            .is_ok_and(|(r, _)| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
    }

    /// The first page number: the parameter's integer default or minimum, else 1.
    fn first_page(&self, spec: &'a openapiv3::Operation, op: &Operation, wire: &str) -> i64 {
        let path_params = match self.api.paths.paths.get(&op.path) {
            Some(ReferenceOr::Item(item)) => item.parameters.as_slice(),
            _ => &[],
        };
        for p in spec.parameters.iter().chain(path_params) {
            let Ok((Parameter::Query { parameter_data: data, .. }, _)) = self.resolver.parameter(p, "") else { continue };
            if data.name != wire {
                continue;
            }
            let ParameterSchemaOrContent::Schema(schema) = &data.format else { break };
            let Ok((schema, _)) = self.resolver.schema(schema, "") else { break };
            if let Some(default) = schema.schema_data.default.as_ref().and_then(Value::as_i64) {
                return default;
            }
            if let SchemaKind::Type(Type::Integer(int)) = &schema.schema_kind
                && let Some(min) = int.minimum
            {
                return min;
            }
            break;
        }
        1
    }

    /// `x-speakeasy-pagination` (rule 1 of the module docs).
    fn speakeasy(&self, op: &Operation, shapes: &Shapes<'_>, ext: &Value, ptr: &str) -> Result<Pagination, (String, String)> {
        let bad = |at: String, message: String| Err((at, message));
        let Value::Object(ext) = ext else { return bad(ptr.to_owned(), "`x-speakeasy-pagination` must be an object".to_owned()) };
        let kind = ext.get("type").and_then(Value::as_str).unwrap_or_default();
        let mut inputs: HashMap<&str, (ParamRef, String)> = HashMap::new();
        if let Some(list) = ext.get("inputs") {
            let Value::Array(list) = list else { return bad(format!("{ptr}/inputs"), "`inputs` must be a list".to_owned()) };
            for (i, input) in list.iter().enumerate() {
                let at = format!("{ptr}/inputs/{i}");
                let (Some(name), Some(role)) = (input.get("name").and_then(Value::as_str), input.get("type").and_then(Value::as_str)) else {
                    return bad(at, "an input needs a `name` and a `type`".to_owned());
                };
                let place = input.get("in").and_then(Value::as_str).unwrap_or("parameters");
                if place != "parameters" {
                    return bad(format!("{at}/in"), format!("the input {name:?} is in {place:?}; only query parameters can be set for each page"));
                }
                let Some(param) = query_param_named(op, name) else {
                    return bad(format!("{at}/name"), format!("the operation has no query parameter {name:?}"));
                };
                if !matches!(role, "offset" | "page" | "limit" | "cursor") {
                    return bad(format!("{at}/type"), format!("unknown input type {role:?}; expected offset, page, limit or cursor"));
                }
                inputs.insert(role, (param, at));
            }
        }
        let outputs = ext.get("outputs").and_then(Value::as_object);
        let output = |key: &str, want: Want| -> Result<Option<FieldPath>, (String, String)> {
            let Some(path) = outputs.and_then(|o| o.get(key)) else { return Ok(None) };
            let at = format!("{ptr}/outputs/{key}");
            let Some(path) = path.as_str().and_then(|p| p.strip_prefix('$')) else {
                return Err((at, format!("`{key}` must be a JSON path like `$.data.items`")));
            };
            self.response_path(op, shapes, path, '.', want, &at).map(Some)
        };
        let items = self.items_output(op, shapes, outputs.and_then(|o| o.get("results")), &format!("{ptr}/outputs/results"), "$")?;
        let rule = match kind {
            "offsetLimit" => {
                let limit = inputs.get("limit").map(|(p, _)| p.clone());
                if let Some((param, _)) = inputs.get("offset") {
                    PageRule::Offset { param: param.clone(), limit, by_items: true }
                } else if let Some((param, _)) = inputs.get("page") {
                    let first = self.spec_operation(op).map_or(1, |spec| self.first_page(spec, op, &param.wire));
                    let total = output("numPages", Want::Count)?;
                    return Ok(Pagination { rule: PageRule::Page { param: param.clone(), first }, source: PageSource::Speakeasy, items: items.0, item: items.1, more: None, total });
                } else {
                    return bad(format!("{ptr}/inputs"), "`type: offsetLimit` needs an input of type `offset` or `page`".to_owned());
                }
            }
            "cursor" => {
                let Some((param, _)) = inputs.get("cursor") else {
                    return bad(format!("{ptr}/inputs"), "`type: cursor` needs an input of type `cursor`".to_owned());
                };
                let Some(next) = output("nextCursor", Want::Cursor)? else {
                    return bad(format!("{ptr}/outputs"), "`type: cursor` needs `outputs.nextCursor`".to_owned());
                };
                PageRule::Cursor { param: param.clone(), next, or_url: false }
            }
            "url" => {
                let Some(next) = output("nextUrl", Want::Url)? else {
                    return bad(format!("{ptr}/outputs"), "`type: url` needs `outputs.nextUrl`".to_owned());
                };
                PageRule::NextUrl { next }
            }
            other => return bad(format!("{ptr}/type"), format!("unknown pagination type {other:?}; expected offsetLimit, cursor or url")),
        };
        Ok(Pagination { rule, source: PageSource::Speakeasy, items: items.0, item: items.1, more: None, total: None })
    }

    /// `x-fern-pagination` (rule 2 of the module docs).
    fn fern(&self, op: &Operation, shapes: &Shapes<'_>, ext: &Value, ptr: &str) -> Result<Pagination, (String, String)> {
        let Value::Object(ext) = ext else {
            return Err((ptr.to_owned(), "`x-fern-pagination` must be an object (or `true`)".to_owned()));
        };
        let request = |key: &str| -> Result<Option<ParamRef>, (String, String)> {
            let Some(v) = ext.get(key) else { return Ok(None) };
            let at = format!("{ptr}/{key}");
            let Some(name) = v.as_str().and_then(|s| s.strip_prefix("$request.")) else {
                return Err((at, format!("`{key}` must be `$request.<query parameter>`")));
            };
            query_param_named(op, name)
                .map(Some)
                .ok_or((at, format!("the operation has no query parameter {name:?} (only query parameters can be set for each page)")))
        };
        let response = |key: &str, want: Want| -> Result<Option<FieldPath>, (String, String)> {
            let Some(v) = ext.get(key) else { return Ok(None) };
            let at = format!("{ptr}/{key}");
            let Some(path) = v.as_str().and_then(|s| s.strip_prefix("$response")) else {
                return Err((at, format!("`{key}` must be `$response.<field path>`")));
            };
            self.response_path(op, shapes, path, '.', want, &at).map(Some)
        };
        let items = self.items_output(op, shapes, ext.get("results"), &format!("{ptr}/results"), "$response")?;
        let more = response("has-next-page", Want::Bool)?.map(|p| (p, true));
        let rule = if let Some(param) = request("cursor")? {
            let Some(next) = response("next_cursor", Want::Cursor)? else {
                return Err((ptr.to_owned(), "`cursor` needs `next_cursor`".to_owned()));
            };
            PageRule::Cursor { param, next, or_url: false }
        } else if let Some(param) = request("offset")? {
            let step = request("step")?;
            let by_items = step.is_some();
            PageRule::Offset { param, limit: step, by_items }
        } else if let Some(next) = response("next_uri", Want::Url)?.or(response("next_path", Want::Url)?) {
            PageRule::NextUrl { next }
        } else {
            return Err((ptr.to_owned(), "no pagination scheme: expected `cursor`, `offset`, `next_uri` or `next_path`".to_owned()));
        };
        Ok(Pagination { rule, source: PageSource::Fern, items: items.0, item: items.1, more, total: None })
    }

    /// The items named by an extension (`results`), else the recognised ones.
    fn items_output(&self, op: &Operation, shapes: &Shapes<'_>, path: Option<&Value>, at: &str, prefix: &str) -> Result<(FieldPath, TypeRef), (String, String)> {
        let body = page_body(op).cloned().unwrap_or(TypeRef::Json);
        let Some(path) = path else {
            return shapes.items(&body).ok_or((at.to_owned(), "no results path, and the page has no single array of items".to_owned()));
        };
        let Some(rest) = path.as_str().and_then(|p| p.strip_prefix(prefix)).map(|p| p.trim_start_matches('.')) else {
            return Err((at.to_owned(), format!("the results path must start with `{prefix}`")));
        };
        let wires: Vec<&str> = rest.split('.').filter(|s| !s.is_empty()).collect();
        let (fields, t) = shapes.path(&body, &wires).map_err(|w| (at.to_owned(), format!("the response has no field {w:?} on the path {rest:?}")))?;
        match shapes.shape(&t) {
            Shape::Array(item) => Ok((fields, item.clone())),
            _ => Err((at.to_owned(), format!("{rest:?} in the response is not an array"))),
        }
    }

    /// A field path of the response (`.a.b`) holding a value that fits `want`.
    fn response_path(&self, op: &Operation, shapes: &Shapes<'_>, path: &str, sep: char, want: Want, at: &str) -> Result<FieldPath, (String, String)> {
        let body = page_body(op).cloned().unwrap_or(TypeRef::Json);
        let path = path.trim_start_matches(sep);
        if path.contains('[') {
            return Err((at.to_owned(), format!("the path {path:?} indexes an array, which is not supported")));
        }
        let wires: Vec<&str> = path.split(sep).filter(|s| !s.is_empty()).collect();
        let (fields, t) = shapes.path(&body, &wires).map_err(|w| (at.to_owned(), format!("the response has no field {w:?} on the path {path:?}")))?;
        if fields.is_empty() || !shapes.fits(&t, want) {
            let what = match want {
                Want::Cursor => "a string or integer cursor",
                Want::Url => "a string URL",
                Want::Bool => "a boolean",
                Want::Count => "a number",
            };
            return Err((at.to_owned(), format!("{path:?} in the response is not {what}")));
        }
        Ok(fields)
    }
}
