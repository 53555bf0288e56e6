//! Path templates: a path key split into segments of literal text and
//! parameters, and the fixed query some specs write into the key.

use super::*;
use crate::error::WarningKind;

/// A parsed path key.
pub(super) struct PathTemplate {
    /// Segments, each a list of literal and parameter parts (parameters by
    /// their template name).
    pub(super) segments: Vec<Vec<SegmentPart>>,
    /// Parameter names in template order.
    pub(super) names: Vec<String>,
    /// Query pairs written into the key (`/rest?method=x`).
    pub(super) fixed_query: Vec<(String, String)>,
}

impl Builder<'_> {
    /// Splits a path key into segments; warns about an unclosed `{`.
    pub(super) fn path_template(&mut self, path: &str, ptr: &str) -> PathTemplate {
        let mut segments: Vec<Vec<SegmentPart>> = Vec::new();
        let mut template_names: Vec<String> = Vec::new();
        // A path key may carry a fixed query (`/rest?method=x`): sent as query pairs.
        let (template, fixed_query) = match path.split_once('?') {
            Some((template, query)) => {
                let pairs = query
                    .split('&')
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        let (k, v) = p.split_once('=').unwrap_or((p, ""));
                        (k.to_owned(), v.to_owned())
                    })
                    .collect();
                (template, pairs)
            }
            None => (path, Vec::new()),
        };
        for seg in template.split('/').filter(|s| !s.is_empty()) {
            let mut parts = Vec::new();
            let mut rest = seg;
            while let Some(open) = rest.find('{') {
                if open > 0 {
                    parts.push(SegmentPart::Literal(rest[..open].to_owned()));
                }
                let Some(close) = rest[open..].find('}') else {
                    self.warn(WarningKind::PathTemplate, ptr, format!("unclosed `{{` in path template {path:?}; kept as literal text"));
                    break;
                };
                let pname = &rest[open + 1..open + close];
                template_names.push(pname.to_owned());
                parts.push(SegmentPart::Param(pname.to_owned()));
                rest = &rest[open + close + 1..];
            }
            if !rest.is_empty() {
                parts.push(SegmentPart::Literal(rest.to_owned()));
            }
            segments.push(parts);
        }
        PathTemplate { segments, names: template_names, fixed_query }
    }
}
