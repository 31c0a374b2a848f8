//! Markdown rendering of a report, Arabic first.
//!
//! Sections in the order an analyst reads them: summary (per story
//! cluster), timeline, merged events with their reconciled figures and
//! reports, figures with their sources, disagreements side by side.
//! Markdown has no direction attribute; the text is Arabic throughout
//! (labels included) and every line starts with Arabic or a list marker,
//! so viewers that pick direction per paragraph (GitHub, most editors)
//! show it right-to-left. Quotes use Arabic guillemets « ».

use std::fmt::Write;

use rustc_hash::FxHashMap;

use crate::countries::measure_label;
use crate::export::{figure_groups, fmt_claim_value, fmt_display, fmt_estimate};
use crate::{Estimate, Report};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn status_label(s: &str) -> &str {
    match s {
        "background" => "خلفية (حدث سابق)",
        "reported" => "مُبلغ عنه",
        _ => s,
    }
}

fn precision_label(p: Option<u8>) -> &'static str {
    match p {
        Some(1) => "يوم",
        Some(2) => "أسبوع",
        Some(_) => "شهر أو أعم",
        None => "—",
    }
}

fn estimate_line(out: &mut String, label: &str, e: &Estimate, conservative: bool) {
    if e.is_empty() {
        return;
    }
    let _ = write!(out, "- {label}: {}", fmt_estimate(e));
    if conservative && let Some(c) = e.conservative {
        let _ = write!(out, " · الرقم المحافظ (ACLED) {}", fmt_display(c));
    }
    out.push('\n');
    for s in &e.sources {
        let v = s.best.map(fmt_display).unwrap_or_else(|| "؟".into());
        let src = if s.source.is_empty() {
            "—"
        } else {
            &s.source
        };
        let _ = writeln!(out, "  - {v} — {src} ({}، الجملة {})", s.doc, s.sentence);
    }
}

/// The report as Markdown (see the module doc).
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let titles: FxHashMap<&str, &str> = r
        .documents
        .iter()
        .filter_map(|d| Some((d.id.as_str(), d.title.as_deref()?)))
        .collect();
    let _ = writeln!(out, "# تقرير مرصد\n");
    let _ = writeln!(
        out,
        "الوثائق: {} · الأحداث المدمجة: {} · الأرقام المنسوبة: {} · الخلافات: {} · القصص: {}\n",
        r.documents.len(),
        r.events.len(),
        r.claims.len(),
        r.disagreements.len(),
        r.clusters.len()
    );

    let _ = writeln!(out, "## الملخص\n");
    for s in &r.summary {
        let Some(c) = r.clusters.get(s.cluster) else {
            continue;
        };
        let label = c.label.as_deref().unwrap_or("قصة");
        let _ = writeln!(
            out,
            "### القصة {}: {} ({} وثيقة)\n",
            c.id + 1,
            cell(label),
            c.docs.len()
        );
        for p in &s.sentences {
            let _ = writeln!(out, "- {} ({}، الجملة {})", p.text, p.doc, p.sentence);
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## الخط الزمني\n");
    if r.timeline.is_empty() {
        let _ = writeln!(out, "لا أحداث مؤرخة.\n");
    } else {
        let _ = writeln!(
            out,
            "| التاريخ | الدقة | الحدث | المكان | الحالة | التقارير |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for t in &r.timeline {
            let reports: Vec<String> = t
                .reports
                .iter()
                .map(|l| format!("{}#{}", l.doc, l.sentence))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} / {} | {} | {} | {} |",
                t.date,
                precision_label(t.time_precision),
                cell(&t.event_type),
                cell(&t.sub_type),
                cell(t.location.as_deref().unwrap_or("—")),
                status_label(&t.status),
                reports.join("، ")
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## الأحداث\n");
    for (i, e) in r.events.iter().enumerate() {
        let place = e
            .location
            .as_ref()
            .map_or("مكان غير معروف", |l| l.name.as_str());
        let _ = writeln!(
            out,
            "### {}. {} / {} — {} — {}\n",
            i + 1,
            e.event_type,
            e.sub_type,
            e.date.as_deref().unwrap_or("تاريخ غير معروف"),
            place
        );
        let _ = writeln!(
            out,
            "- المعرف: `{}` · الحالة: {}",
            e.id,
            status_label(&e.status)
        );
        if let Some(a) = &e.actor1 {
            let _ = writeln!(out, "- الفاعل: {a}");
        }
        if let Some(a) = &e.actor2 {
            let _ = writeln!(out, "- الطرف الآخر: {a}");
        }
        if let Some(l) = &e.location
            && let (Some(lat), Some(lon)) = (l.lat, l.lon)
        {
            let _ = writeln!(
                out,
                "- الإحداثيات: {lat:.4}، {lon:.4} (دقة {})",
                l.geo_precision.map(|p| p.to_string()).unwrap_or_default()
            );
        }
        estimate_line(&mut out, "القتلى", &e.fatalities, true);
        estimate_line(&mut out, "الجرحى", &e.injured, false);
        estimate_line(&mut out, "المعتقلون أو المختطفون", &e.arrested, false);
        let _ = writeln!(out, "- التقارير ({}):", e.reports.len());
        for rep in &e.reports {
            let src = if rep.source.is_empty() {
                "—"
            } else {
                &rep.source
            };
            let title = titles.get(rep.doc.as_str()).copied().unwrap_or("");
            let _ = writeln!(
                out,
                "  - «{}» — {} ({} {}، الجملة {})",
                rep.text, src, rep.doc, title, rep.sentence
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## الأرقام ومصادرها\n");
    for g in figure_groups(r) {
        let scope = if g.scope.is_empty() {
            String::new()
        } else {
            format!(" ({})", g.scope.join("، "))
        };
        let _ = writeln!(
            out,
            "### {} — {}{}\n",
            g.subject,
            measure_label(&g.measure),
            scope
        );
        if g.claims.len() > 1 {
            let _ = writeln!(out, "- التوفيق: {}", fmt_estimate(&g.estimate));
        }
        for c in &g.claims {
            let src = if c.source.is_empty() {
                "—"
            } else {
                &c.source
            };
            let _ = writeln!(
                out,
                "- {} — {} — «{}» ({}، الجملة {})",
                fmt_claim_value(c.value, c.low, c.high, c.approx, c.bound),
                src,
                c.text,
                c.doc,
                c.sentence
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## الخلافات\n");
    if r.disagreements.is_empty() {
        let _ = writeln!(out, "لا خلافات بين المصادر.\n");
    }
    for d in &r.disagreements {
        let kind = if d.kind == "contradiction" {
            "تناقض"
        } else {
            "نطاقات مختلفة (ليس تناقضاً)"
        };
        let scope = if d.scope.is_empty() {
            String::new()
        } else {
            format!(" ({})", d.scope.join("، "))
        };
        let _ = writeln!(
            out,
            "### {} — {}{}: {}\n",
            d.subject,
            measure_label(&d.measure),
            scope,
            kind
        );
        let _ = writeln!(out, "| القيمة | النطاق | المصدر | الجملة | الوثيقة |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for c in &d.claims {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {}#{} |",
                fmt_claim_value(c.value, c.low, c.high, c.approx, c.bound),
                cell(&c.scope.join("، ")),
                cell(if c.source.is_empty() {
                    "—"
                } else {
                    &c.source
                }),
                cell(&c.text),
                c.doc,
                c.sentence
            );
        }
        if let Some(e) = &d.reconciled {
            let _ = writeln!(out, "\nالتوفيق: {}", fmt_estimate(e));
        }
        out.push('\n');
    }
    out
}
