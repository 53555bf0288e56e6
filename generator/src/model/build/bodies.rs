//! Request bodies: the media type sent (JSON first, then form, multipart,
//! text, raw bytes) and the body's type.

use openapiv3::{ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::*;
use crate::error::{WarningKind, pointer_token};
use crate::naming::Scope;

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
            BodyKind::Bytes => TypeRef::Bytes,
        };
        if matches!(kind, BodyKind::Multipart | BodyKind::Form)
            && let Some(schema) = &mt.schema
        {
            self.warn_binary_parts(schema, &mptr);
        }
        Some(Body {
            name: scope.unique("body".to_owned()),
            kind,
            ty,
            required: rb.required,
            media_type: media.clone(),
            doc: rb.description.clone(),
        })
    }

    /// Form and multipart bodies are sent field by field as text: a binary
    /// (`format: binary`) property cannot carry non-UTF-8 file content.
    fn warn_binary_parts(&mut self, schema: &'a ReferenceOr<Schema>, ptr: &str) {
        let Ok((s, name)) = self.resolver.schema(schema, ptr) else { return };
        let base = name.map_or_else(|| ptr.to_owned(), |n| child("/components/schemas", n));
        let SchemaKind::Type(Type::Object(ot)) = &s.schema_kind else { return };
        for (prop, p) in &ot.properties {
            let ReferenceOr::Item(p) = p else { continue };
            let binary = |s: &Schema| {
                matches!(&s.schema_kind, SchemaKind::Type(Type::String(st)) if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
            };
            let is_binary = binary(p)
                || matches!(&p.schema_kind, SchemaKind::Type(Type::Array(at)) if matches!(&at.items, Some(ReferenceOr::Item(i)) if binary(i)));
            if is_binary {
                self.warn(WarningKind::BinaryPart, 
                    format!("{base}/properties/{}", pointer_token(prop)),
                    "a binary part is sent as a text field (`String`); file content that is not UTF-8 cannot be sent",
                );
            }
        }
    }
}

