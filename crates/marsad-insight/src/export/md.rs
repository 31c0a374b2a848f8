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

use crate::countries::measure_label;
use crate::export::{fmt_claim_value, fmt_display, fmt_estimate};
use crate::source::{Error, ReportSource};
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

fn estimate_line(
    out: &mut dyn Write,
    label: &str,
    e: &Estimate,
    conservative: bool,
) -> std::fmt::Result {
    if e.is_empty() {
        return Ok(());
    }
    write!(out, "- {label}: {}", fmt_estimate(e))?;
    if conservative && let Some(c) = e.conservative {
        write!(out, " · الرقم المحافظ (ACLED) {}", fmt_display(c))?;
    }
    out.write_char('\n')?;
    for s in &e.sources {
        let v = s.best.map(fmt_display).unwrap_or_else(|| "؟".into());
        let src = if s.source.is_empty() {
            "—"
        } else {
            &s.source
        };
        writeln!(out, "  - {v} — {src} ({}، الجملة {})", s.doc, s.sentence)?;
    }
    Ok(())
}

/// The report as Markdown (see the module doc).
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    // An in-memory report gives every item, and a String takes every
    // write: this cannot fail.
    let _ = write_markdown(r, &mut out);
    out
}

/// Write the report as Markdown (see the module doc), item by item.
pub fn write_markdown(r: &dyn ReportSource, out: &mut dyn Write) -> Result<(), Error> {
    let n = r.counts();
    let titles = r.titles();
    writeln!(out, "# تقرير مرصد\n")?;
    writeln!(
        out,
        "الوثائق: {} · الأحداث المدمجة: {} · الأرقام المنسوبة: {} · الخلافات: {} · القصص: {}\n",
        n.documents, n.events, n.claims, n.disagreements, n.clusters
    )?;

    writeln!(out, "## الملخص\n")?;
    for s in r.summary() {
        let s = s?;
        let Some(c) = r.cluster(s.cluster)? else {
            continue;
        };
        let label = c.label.as_deref().unwrap_or("قصة");
        writeln!(
            out,
            "### القصة {}: {} ({} وثيقة)\n",
            c.id + 1,
            cell(label),
            c.docs.len()
        )?;
        for p in &s.sentences {
            writeln!(out, "- {} ({}، الجملة {})", p.text, p.doc, p.sentence)?;
        }
        out.write_char('\n')?;
    }

    writeln!(out, "## الخط الزمني\n")?;
    if n.timeline == 0 {
        writeln!(out, "لا أحداث مؤرخة.\n")?;
    } else {
        writeln!(
            out,
            "| التاريخ | الدقة | الحدث | المكان | الحالة | التقارير |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        for t in r.timeline() {
            let t = t?;
            let reports: Vec<String> = t
                .reports
                .iter()
                .map(|l| format!("{}#{}", l.doc, l.sentence))
                .collect();
            writeln!(
                out,
                "| {} | {} | {} / {} | {} | {} | {} |",
                t.date,
                precision_label(t.time_precision),
                cell(&t.event_type),
                cell(&t.sub_type),
                cell(t.location.as_deref().unwrap_or("—")),
                status_label(&t.status),
                reports.join("، ")
            )?;
        }
        out.write_char('\n')?;
    }

    writeln!(out, "## الأحداث\n")?;
    for (i, e) in r.events().enumerate() {
        let e = e?;
        let place = e
            .location
            .as_ref()
            .map_or("مكان غير معروف", |l| l.name.as_str());
        writeln!(
            out,
            "### {}. {} / {} — {} — {}\n",
            i + 1,
            e.event_type,
            e.sub_type,
            e.date.as_deref().unwrap_or("تاريخ غير معروف"),
            place
        )?;
        writeln!(
            out,
            "- المعرف: `{}` · الحالة: {}",
            e.id,
            status_label(&e.status)
        )?;
        if let Some(a) = &e.actor1 {
            writeln!(out, "- الفاعل: {a}")?;
        }
        if let Some(a) = &e.actor2 {
            writeln!(out, "- الطرف الآخر: {a}")?;
        }
        if let Some(l) = &e.location
            && let (Some(lat), Some(lon)) = (l.lat, l.lon)
        {
            writeln!(
                out,
                "- الإحداثيات: {lat:.4}، {lon:.4} (دقة {})",
                l.geo_precision.map(|p| p.to_string()).unwrap_or_default()
            )?;
        }
        estimate_line(out, "القتلى", &e.fatalities, true)?;
        estimate_line(out, "الجرحى", &e.injured, false)?;
        estimate_line(out, "المعتقلون أو المختطفون", &e.arrested, false)?;
        writeln!(out, "- التقارير ({}):", e.reports.len())?;
        for rep in &e.reports {
            let src = if rep.source.is_empty() {
                "—"
            } else {
                &rep.source
            };
            let title = titles(&rep.doc)?.unwrap_or_default();
            writeln!(
                out,
                "  - «{}» — {} ({} {}، الجملة {})",
                rep.text, src, rep.doc, title, rep.sentence
            )?;
        }
        out.write_char('\n')?;
    }

    writeln!(out, "## الأرقام ومصادرها\n")?;
    for g in r.figure_groups() {
        let g = g?;
        let scope = if g.scope.is_empty() {
            String::new()
        } else {
            format!(" ({})", g.scope.join("، "))
        };
        writeln!(
            out,
            "### {} — {}{}\n",
            g.subject,
            measure_label(&g.measure),
            scope
        )?;
        if g.claims.len() > 1 {
            writeln!(out, "- التوفيق: {}", fmt_estimate(&g.estimate))?;
        }
        for c in &g.claims {
            let src = if c.source.is_empty() {
                "—"
            } else {
                &c.source
            };
            writeln!(
                out,
                "- {} — {} — «{}» ({}، الجملة {})",
                fmt_claim_value(c.value, c.low, c.high, c.approx, c.bound),
                src,
                c.text,
                c.doc,
                c.sentence
            )?;
        }
        out.write_char('\n')?;
    }

    writeln!(out, "## الخلافات\n")?;
    if n.disagreements == 0 {
        writeln!(out, "لا خلافات بين المصادر.\n")?;
    }
    for d in r.disagreements() {
        let d = d?;
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
        writeln!(
            out,
            "### {} — {}{}: {}\n",
            d.subject,
            measure_label(&d.measure),
            scope,
            kind
        )?;
        writeln!(out, "| القيمة | النطاق | المصدر | الجملة | الوثيقة |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for c in &d.claims {
            writeln!(
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
            )?;
        }
        if let Some(e) = &d.reconciled {
            writeln!(out, "\nالتوفيق: {}", fmt_estimate(e))?;
        }
        out.write_char('\n')?;
    }
    Ok(())
}
