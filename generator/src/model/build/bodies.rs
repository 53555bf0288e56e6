//! Request bodies: the media type sent (JSON first, then form, multipart,
//! text, raw bytes) and the body's type. Binary properties of form and
//! multipart bodies become file parts ([`TypeRef::File`]), with the content
//! type each part gets from the spec; a binary body is a file too.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::*;
use crate::error::{WarningKind, pointer_token};
use crate::load::normalize::CONTENT_MEDIA_TYPE;
use crate::naming::Scope;

/// A binary property: its wire name, whether it is an array of files, and
/// the media type its schema gives (`contentMediaType`).
struct FileField {
    wire: String,
    array: bool,
    media: Option<String>,
}

impl<'a> Builder<'a> {
    pub(super) fn body(&mut self, rb: &'a ReferenceOr<openapiv3::RequestBody>, ptr: &str, type_base: &str, scope: &mut Scope) -> Option<Body> {
        let (rb, _) = match self.resolver.request_body(rb, ptr) {
            Ok(found) => found,
            Err(p) => {
                self.problems.push(p);
                return None;
            }
        };
        let pick = |pred: &dyn Fn(&str) -> bool| rb.content.iter().find(|(m, _)| pred(m));
        let chosen = pick(&|m| is_json_media(m))
            .map(|c| (c, BodyKind::Json))
            .or_else(|| pick(&|m| m.starts_with("application/x-www-form-urlencoded")).map(|c| (c, BodyKind::Form)))
            .or_else(|| pick(&|m| m.starts_with("multipart/")).map(|c| (c, BodyKind::Multipart)))
            .or_else(|| pick(&|m| is_text_media(m)).map(|c| (c, BodyKind::Text)))
            .or_else(|| rb.content.iter().next().map(|c| (c, BodyKind::Bytes)));
        let ((media, mt), kind) = chosen?;
        if rb.content.len() > 1 {
            let others: Vec<&str> = rb.content.keys().filter(|k| *k != media).map(String::as_str).collect();
            self.warn(WarningKind::RequestMediaTypes, ptr, format!("several request media types; the client sends {media} (not {})", others.join(", ")));
        }
        let mptr = format!("{ptr}/content/{}/schema", pointer_token(media));
        let ty = match kind {
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => match &mt.schema {
                Some(s) => self.schema_type(s, &format!("{type_base} body"), &mptr).0,
                None => TypeRef::Json,
            },
            BodyKind::Text => TypeRef::String,
            BodyKind::Bytes => TypeRef::File,
        };
        let mut encoding = Vec::new();
        let mut by_parts = false;
        if matches!(kind, BodyKind::Multipart | BodyKind::Form)
            && let Some(schema) = &mt.schema
        {
            let files = self.file_fields(schema, &mptr);
            by_parts = self.make_file_fields(&ty, &files);
            if kind == BodyKind::Multipart {
                // The spec's `encoding` first (in its order), then what binary
                // properties say of their own content.
                let explicit = mt.encoding.iter().filter_map(|(prop, e)| Some((prop.clone(), single_media_type(e.content_type.as_deref()?)?)));
                for (wire, media) in explicit.chain(files.into_iter().filter_map(|f| Some((f.wire, single_media_type(&f.media?)?)))) {
                    if !encoding.iter().any(|(w, _)| *w == wire) {
                        encoding.push((wire, media));
                    }
                }
            }
        }
        Some(Body {
            name: scope.unique("body".to_owned()),
            kind,
            ty,
            required: rb.required,
            media_type: media.clone(),
            doc: rb.description.clone(),
            encoding,
            by_parts,
        })
    }

    /// The binary top-level properties of a form or multipart body schema
    /// (through `$ref`s and `allOf` parts). A binary value the client cannot
    /// send as a file (an `additionalProperties` value) gets a warning.
    fn file_fields(&mut self, schema: &'a ReferenceOr<Schema>, ptr: &str) -> Vec<FileField> {
        let mut properties = Vec::new();
        let mut additional = Vec::new();
        self.form_properties(schema, ptr, &mut properties, &mut additional, &mut BTreeSet::new(), 0);
        for (aptr, a) in additional {
            let binary = self.resolver.schema(a, &aptr).ok().and_then(|(s, _)| self.binary_schema(s, 0));
            if binary.is_some() {
                self.warn(
                    WarningKind::BinaryPart,
                    aptr,
                    "binary `additionalProperties` values of a form are sent as text fields; file content that is not UTF-8 cannot be sent",
                );
            }
        }
        properties
            .into_iter()
            .filter_map(|(wire, p)| self.binary_of(p, 0).map(|(array, media)| FileField { wire: wire.to_owned(), array, media }))
            .collect()
    }

    /// Collects the top-level properties (and `additionalProperties` schemas,
    /// with their pointers) of an object schema and its `allOf` parts.
    fn form_properties(
        &self,
        schema: &'a ReferenceOr<Schema>,
        ptr: &str,
        properties: &mut Vec<(&'a str, &'a ReferenceOr<Box<Schema>>)>,
        additional: &mut Vec<(String, &'a ReferenceOr<Schema>)>,
        seen: &mut BTreeSet<&'a str>,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        if let ReferenceOr::Reference { reference } = schema
            && !seen.insert(reference.as_str())
        {
            return;
        }
        let Ok((s, name)) = self.resolver.schema(schema, ptr) else { return };
        let base = name.map_or_else(|| ptr.to_owned(), |n| child("/components/schemas", n));
        let (props, extra, parts) = match &s.schema_kind {
            SchemaKind::Type(Type::Object(ot)) => (Some(&ot.properties), ot.additional_properties.as_ref(), None),
            SchemaKind::AllOf { all_of } => (None, None, Some(all_of)),
            SchemaKind::Any(any) => (Some(&any.properties), any.additional_properties.as_ref(), Some(&any.all_of)),
            _ => (None, None, None),
        };
        for (i, part) in parts.into_iter().flatten().enumerate() {
            self.form_properties(part, &format!("{base}/allOf/{i}"), properties, additional, seen, depth + 1);
        }
        for (wire, p) in props.into_iter().flatten() {
            if !properties.iter().any(|(w, _)| *w == wire) {
                properties.push((wire, p));
            }
        }
        if let Some(AdditionalProperties::Schema(a)) = extra {
            additional.push((child(&base, "additionalProperties"), &**a));
        }
    }

    /// `Some((array, media type))` when a property schema is binary content
    /// (`format: binary`, which normalization also gives 3.1's
    /// `contentMediaType`), or an array of it.
    fn binary_of(&self, schema: &ReferenceOr<Box<Schema>>, depth: usize) -> Option<(bool, Option<String>)> {
        let (s, _) = self.resolver.boxed_schema(schema, "").ok()?;
        self.binary_schema(s, depth)
    }

    fn binary_schema(&self, s: &Schema, depth: usize) -> Option<(bool, Option<String>)> {
        if depth > 8 {
            return None;
        }
        let media = || s.schema_data.extensions.get(CONTENT_MEDIA_TYPE).and_then(|m| m.as_str()).map(str::to_owned);
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some((false, media())),
            SchemaKind::Any(any) if any.typ.as_deref() == Some("string") && any.format.as_deref() == Some("binary") => Some((false, media())),
            SchemaKind::Type(Type::Array(at)) => {
                let (item, _) = self.resolver.boxed_schema(at.items.as_ref()?, "").ok()?;
                match self.binary_schema(item, depth + 1)? {
                    (false, media) => Some((true, media)),
                    (true, _) => None,
                }
            }
            // A single-part composition (a nullable `$ref`) is the part itself.
            SchemaKind::AllOf { all_of: parts } | SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } if parts.len() == 1 => {
                let (part, _) = self.resolver.schema(&parts[0], "").ok()?;
                self.binary_schema(part, depth + 1)
            }
            _ => None,
        }
    }

    /// Gives the binary fields of a body's struct the file type. `true` when
    /// the struct has file fields (the body is then encoded part by part).
    fn make_file_fields(&mut self, ty: &TypeRef, files: &[FileField]) -> bool {
        if files.is_empty() {
            return false;
        }
        let Some(idx) = self.struct_index(ty) else { return false };
        let TypeKind::Struct { fields, .. } = &mut self.types[idx].kind else { return false };
        let mut any = false;
        for field in fields.iter_mut() {
            let Some(file) = files.iter().find(|f| f.wire == field.wire) else { continue };
            field.ty = match (&field.ty, file.array) {
                (TypeRef::Vec(item), true) if matches!(**item, TypeRef::Option(_)) => TypeRef::Vec(Box::new(TypeRef::Option(Box::new(TypeRef::File)))),
                (_, true) => TypeRef::Vec(Box::new(TypeRef::File)),
                (_, false) => TypeRef::File,
            };
            any = true;
        }
        any || fields.iter().any(|f| f.ty.holds_file())
    }

    /// The index of the struct a body type names (through aliases).
    fn struct_index(&self, ty: &TypeRef) -> Option<usize> {
        let mut ty = ty;
        for _ in 0..8 {
            let TypeRef::Named(id) = ty else { return None };
            let idx = id.0;
            match &self.types[idx].kind {
                TypeKind::Struct { .. } => return Some(idx),
                TypeKind::Alias(target) => ty = target,
                _ => return None,
            }
        }
        None
    }
}

/// `true` when `ty` is (an alias of) a struct with file fields: a form or
/// multipart body of that type is sent part by part. Checked again after
/// the transform stage, which may replace the struct by an existing type.
pub(crate) fn has_file_fields(types: &[TypeDef], ty: &TypeRef) -> bool {
    let mut ty = ty;
    for _ in 0..=types.len() {
        let TypeRef::Named(id) = ty else { return false };
        match &types[id.0].kind {
            TypeKind::Struct { fields, .. } => return fields.iter().any(|f| f.ty.holds_file()),
            TypeKind::Alias(target) => ty = target,
            _ => return false,
        }
    }
    false
}

/// A part's content type from the spec, when it names one concrete media
/// type (not a list such as `image/png, image/jpeg`, nor a range such as
/// `image/*`).
fn single_media_type(value: &str) -> Option<String> {
    let value = value.trim();
    let valid = !value.is_empty()
        && !value.contains([',', '*'])
        && value.split_once('/').is_some_and(|(t, s)| !t.is_empty() && !s.is_empty())
        && value.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    valid.then(|| value.to_owned())
}
