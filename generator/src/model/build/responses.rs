//! Responses: each documented status classified as success or error with
//! its body, and the operation's success and error types (one body type, or
//! an enum by status when they differ).

use openapiv3::ReferenceOr;

use super::*;
use crate::error::{WarningKind, pointer_token};
use crate::naming;

impl<'a> Builder<'a> {
    pub(super) fn responses(&mut self, responses: &'a openapiv3::Responses, ptr: &str, type_base: &str) -> (Vec<Response>, Vec<Response>) {
        let mut entries: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, String)> = Vec::new();
        for (code, r) in &responses.responses {
            let (status, token) = match code {
                openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                openapiv3::StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            entries.push((status, r, child(ptr, &token)));
        }
        let has_2xx = entries
            .iter()
            .any(|(s, _, _)| matches!(s, StatusMatch::Code(200..=299) | StatusMatch::Range(2)));
        if let Some(d) = &responses.default {
            entries.push((StatusMatch::Default, d, format!("{ptr}/default")));
        }
        if entries.is_empty() {
            // Nothing documented: any 2XX is a success with an untyped body.
            self.warn(WarningKind::NoResponses, ptr, "no responses are documented; a 2XX response is returned as raw bytes");
            let success = Response { status: StatusMatch::Range(2), body: ResponseBody::Bytes, doc: None, variant: "Status2xx".to_owned() };
            return (vec![success], Vec::new());
        }
        let is_success = |s: &StatusMatch| match s {
            StatusMatch::Code(c) => (200..300).contains(c),
            StatusMatch::Range(r) => *r == 2,
            StatusMatch::Default => !has_2xx,
        };
        let success_with_body = entries.iter().filter(|(s, _, _)| is_success(s)).count();
        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (status, r, rptr) in entries {
            let ok = is_success(&status);
            let word = match status {
                StatusMatch::Code(c) => c.to_string(),
                StatusMatch::Range(r) => format!("{r}xx"),
                StatusMatch::Default => "default".to_owned(),
            };
            let hint = match (ok, success_with_body) {
                (true, 1) => format!("{type_base} response"),
                (true, _) => format!("{type_base} response {word}"),
                (false, _) => format!("{type_base} error {word}"),
            };
            let (resp, _) = match self.resolver.response(r, &rptr) {
                Ok(found) => found,
                Err(p) => {
                    self.problems.push(p);
                    continue;
                }
            };
            let pick = |pred: &dyn Fn(&str) -> bool| resp.content.iter().find(|(m, _)| pred(m));
            let body = if let Some((media, mt)) = pick(&|m| is_json_media(m)) {
                match &mt.schema {
                    Some(s) => {
                        let (t, _) = self.schema_type(s, &hint, &format!("{rptr}/content/{}/schema", pointer_token(media)));
                        ResponseBody::Json(t)
                    }
                    None => ResponseBody::Json(TypeRef::Json),
                }
            } else if pick(&|m| is_text_media(m)).is_some() {
                ResponseBody::Text
            } else if resp.content.is_empty() {
                ResponseBody::Empty
            } else {
                ResponseBody::Bytes
            };
            let variant = naming::variant_name(&match status {
                StatusMatch::Code(c) => format!("status {c}"),
                StatusMatch::Range(r) => format!("status {r}xx"),
                StatusMatch::Default => "default".to_owned(),
            });
            let response = Response {
                status,
                body,
                doc: Some(resp.description.trim().to_owned()).filter(|d| !d.is_empty()),
                variant,
            };
            if ok { success.push(response) } else { errors.push(response) }
        }
        (success, errors)
    }

    /// The success or error type of an operation: the one body type, or an
    /// enum by status when the responses differ (then the flag is `true`).
    pub(super) fn outcome_type(&mut self, responses: &[Response], hint: &str, ptr: &str, success: bool) -> (Option<TypeRef>, bool) {
        let relevant: Vec<&Response> = responses
            .iter()
            .filter(|r| success || matches!(r.body, ResponseBody::Json(_) | ResponseBody::Text))
            .collect();
        let mut distinct: Vec<&ResponseBody> = Vec::new();
        for r in &relevant {
            if !distinct.contains(&&r.body) {
                distinct.push(&r.body);
            }
        }
        match distinct.as_slice() {
            [] => (None, false),
            [one] => (body_type(one), false),
            _ => {
                let doc = Some(if success {
                    "The documented success responses, by status.".to_owned()
                } else {
                    "The documented error bodies, by status.".to_owned()
                });
                let (_, id) = self.new_type(hint, ptr, doc);
                let variants = relevant
                    .iter()
                    .map(|r| ResponseVariant { name: r.variant.clone(), ty: body_type(&r.body), doc: r.doc.clone() })
                    .collect();
                self.types[id.0].kind = TypeKind::Responses { variants };
                (Some(TypeRef::Named(id)), true)
            }
        }
    }
}

fn body_type(body: &ResponseBody) -> Option<TypeRef> {
    match body {
        ResponseBody::Empty => None,
        ResponseBody::Json(t) => Some(t.clone()),
        ResponseBody::Text => Some(TypeRef::String),
        ResponseBody::Bytes => Some(TypeRef::Bytes),
    }
}
