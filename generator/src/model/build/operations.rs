//! Operations: method names (unique, never shadowing the client's own
//! methods), path-level and operation-level parameters merged, parameters
//! typed and named, and the parts of an operation put together.

use std::collections::{BTreeMap, HashMap};

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::*;
use super::paths::PathTemplate;
use crate::error::{Problem, WarningKind, pointer_token};
use crate::naming::{self, Scope};

/// Methods of the generated `Client` that operations must not shadow.
const CLIENT_RESERVED: &[&str] = &["new", "builder", "base_url", "execute", "execute_raw", "url", "build", "backoff", "clone", "fmt"];

impl<'a> Builder<'a> {
    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let mut scope = Scope::with_reserved(CLIENT_RESERVED);
        let mut ops = Vec::new();
        let mut ids: BTreeMap<&str, String> = BTreeMap::new();
        for (path, item) in self.api.paths.iter() {
            let path_ptr = child("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } if !reference.starts_with('#') => {
                    self.problems.push(Problem::new(
                        format!("{path_ptr}/$ref"),
                        format!("external path item `$ref` {reference:?} cannot be followed; bundle the spec into one document first (for example with `redocly bundle`)"),
                    ));
                    continue;
                }
                ReferenceOr::Reference { reference } => {
                    self.warn(WarningKind::PathItemRef, path_ptr, format!("path item `$ref` {reference:?} cannot be followed; its operations are skipped"));
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let ptr = child(&path_ptr, method);
                if let Some(id) = op.operation_id.as_deref() {
                    if let Some(first) = ids.get(id) {
                        self.warn(WarningKind::DuplicateOperationId, 
                            format!("{ptr}/operationId"),
                            format!("operationId {id:?} is also used at {first}; this one gets a suffixed method name"),
                        );
                    } else {
                        ids.insert(id, ptr.clone());
                    }
                }
                let raw_name = match op.operation_id.as_deref() {
                    Some(id) if !id.trim().is_empty() => naming::snake_name(id),
                    _ => naming::snake_name(&format!("{method} {}", path.replace(['{', '}'], " "))),
                };
                let name = scope.unique(raw_name);
                if let Some(op) = self.operation(name, method, path, &item.parameters, op, &ptr) {
                    ops.push(op);
                }
            }
        }
        ops
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        name: String,
        method: &str,
        path: &str,
        path_params: &'a [ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
        ptr: &str,
    ) -> Option<Operation> {
        let type_base = naming::type_name(&name);
        let mut arg_scope = Scope::with_reserved(&["self"]);
        let declared = self.declared_params(path_params, &op.parameters, ptr);
        let PathTemplate { mut segments, names: template_names, fixed_query } = self.path_template(path, ptr);
        let (params, wire_to_arg) = self.params(&declared, &template_names, path, ptr, &type_base, &mut arg_scope);
        for seg in &mut segments {
            for part in seg.iter_mut() {
                if let SegmentPart::Param(wire) = part
                    && let Some(arg) = wire_to_arg.get(wire.as_str()) {
                        *part = SegmentPart::Param(arg.clone());
                    }
            }
        }
        let body = op.request_body.as_ref().and_then(|rb| self.body(rb, &format!("{ptr}/requestBody"), &type_base, &mut arg_scope));
        let (success, errors) = self.responses(&op.responses, &format!("{ptr}/responses"), &type_base);
        let (success_type, success_by_status) = self.outcome_type(&success, &format!("{type_base} response"), ptr, true);
        let (error_type, errors_by_status) = self.outcome_type(&errors, &format!("{type_base} error"), ptr, false);
        Some(Operation {
            name,
            operation_id: op.operation_id.clone(),
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            pointer: ptr.to_owned(),
            doc: doc_of(op.summary.as_deref(), op.description.as_deref()),
            deprecated: op.deprecated,
            segments,
            params,
            fixed_query,
            body,
            success,
            errors,
            success_type,
            error_type,
            success_by_status,
            errors_by_status,
            // Decided once every type is final (`surface`, `pagination`).
            surface: Surface::default(),
            tags: op.tags.clone(),
            features: Vec::new(),
            pagination: None,
        })
    }

    /// The parameters of an operation, resolved: operation-level ones
    /// override path-level ones with the same name and location.
    fn declared_params(
        &mut self,
        path_params: &'a [ReferenceOr<Parameter>],
        op_params: &'a [ReferenceOr<Parameter>],
        ptr: &str,
    ) -> Vec<(&'a Parameter, String)> {
        let mut declared: Vec<(&'a Parameter, String)> = Vec::new();
        let all = path_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{}/parameters/{i}", ptr.rsplit_once('/').map_or("", |(a, _)| a))))
            .chain(op_params.iter().enumerate().map(|(i, p)| (p, format!("{ptr}/parameters/{i}"))));
        for (p, pptr) in all {
            match self.resolver.parameter(p, &pptr) {
                // Marked by the loader as one the client cannot send (warned there).
                Ok((param, _)) if param.parameter_data_ref().extensions.contains_key(crate::load::v32::SKIP) => {}
                Ok((param, _)) => {
                    let key = (param.parameter_data_ref().name.as_str(), location_of(param));
                    declared.retain(|(d, _)| (d.parameter_data_ref().name.as_str(), location_of(d)) != key);
                    declared.push((param, pptr));
                }
                Err(problem) => match p {
                    // A dangling local reference: the parameter is left out
                    // (a path parameter then falls back to a string).
                    ReferenceOr::Reference { reference } if self.resolver.parameter_missing(reference) => {
                        self.warn(WarningKind::ParameterRefMissing, pptr, format!("{}; the parameter is left out", problem.message));
                    }
                    _ => self.problems.push(problem),
                },
            }
        }
        declared
    }

    /// The parameters of an operation in argument order: path ones in
    /// template order (undeclared ones as strings), then query, header and
    /// cookie ones; with the map from template names to argument names.
    fn params(
        &mut self,
        declared: &[(&'a Parameter, String)],
        template_names: &[String],
        path: &str,
        ptr: &str,
        type_base: &str,
        arg_scope: &mut Scope,
    ) -> (Vec<Param>, HashMap<String, String>) {
        let mut params = Vec::new();
        let mut wire_to_arg: HashMap<String, String> = HashMap::new();
        // Path parameters in template order.
        for tname in template_names {
            if wire_to_arg.contains_key(tname) {
                continue;
            }
            let found = declared
                .iter()
                .find(|(p, _)| location_of(p) == ParamLocation::Path && p.parameter_data_ref().name == *tname);
            let param = match found {
                Some((p, pptr)) => self.param(p, pptr, type_base, arg_scope),
                None => {
                    self.warn(WarningKind::PathTemplate, 
                        ptr,
                        format!("path template {path:?} uses `{{{tname}}}`, but no such path parameter is declared; it is taken as a string"),
                    );
                    Param {
                        name: arg_scope.unique(naming::snake_name(tname)),
                        wire: tname.clone(),
                        location: ParamLocation::Path,
                        ty: TypeRef::String,
                        required: true,
                        style: QueryStyle::Form,
                        encoding: Encoding::Scalar,
                        doc: None,
                    }
                }
            };
            wire_to_arg.insert(tname.clone(), param.name.clone());
            params.push(param);
        }
        for (p, pptr) in declared {
            if location_of(p) == ParamLocation::Path && !template_names.contains(&p.parameter_data_ref().name) {
                self.warn(WarningKind::PathTemplate, 
                    pptr.clone(),
                    format!(
                        "path parameter {:?} does not appear in the path template {path:?}; it is left out",
                        p.parameter_data_ref().name
                    ),
                );
            }
        }
        for loc in [ParamLocation::Query, ParamLocation::Header, ParamLocation::Cookie] {
            for (p, pptr) in declared {
                if location_of(p) == loc {
                    if loc == ParamLocation::Header
                        && ["accept", "content-type", "authorization"].contains(&p.parameter_data_ref().name.to_ascii_lowercase().as_str())
                    {
                        continue;
                    }
                    let param = self.param(p, pptr, type_base, arg_scope);
                    params.push(param);
                }
            }
        }
        (params, wire_to_arg)
    }

    fn param(&mut self, p: &'a Parameter, ptr: &str, type_base: &str, scope: &mut Scope) -> Param {
        let data = p.parameter_data_ref();
        let hint = format!("{type_base} {}", data.name);
        let (ty, _) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => self.schema_type(s, &hint, &format!("{ptr}/schema")),
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media, mt)) => match &mt.schema {
                    Some(s) => self.schema_type(s, &hint, &format!("{ptr}/content/{}/schema", pointer_token(media))),
                    None => (TypeRef::String, false),
                },
                None => (TypeRef::String, false),
            },
        };
        let location = location_of(p);
        let style = match p {
            Parameter::Query { style: openapiv3::QueryStyle::DeepObject, .. } => QueryStyle::DeepObject,
            Parameter::Query { style: openapiv3::QueryStyle::SpaceDelimited, .. } if data.explode != Some(true) => QueryStyle::SpaceDelimited,
            Parameter::Query { style: openapiv3::QueryStyle::PipeDelimited, .. } if data.explode != Some(true) => QueryStyle::PipeDelimited,
            Parameter::Query { .. } if data.explode == Some(false) => QueryStyle::Form,
            _ => QueryStyle::FormExplode,
        };
        Param {
            name: scope.unique(naming::snake_name(&data.name)),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            style,
            // Decided once every type is final (`surface`).
            encoding: Encoding::Scalar,
            doc: data.description.clone(),
        }
    }
}

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}
