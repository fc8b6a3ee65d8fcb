//! Inline SVG charts for the HTML page: drawn from the figures alone, so the page needs no
//! script or external file and prints as vectors.

use crate::document::{BarChart, LineChart, Scale, display_width, thousands};
use crate::escape::escape;

/// The drawing's own units; the page scales it to the column width.
const WIDTH: f64 = 640.0;
const FONT_SIZE: f64 = 12.0;
/// About the width of an ASCII character; a Chinese one takes two.
const HALF_EM: f64 = FONT_SIZE / 2.0;
const BAR_COLOUR: &str = "#2f5597";
const AXIS_COLOUR: &str = "#595959";
const GRID_COLOUR: &str = "#d9d9d9";

/// Horizontal bars, one per region in table order, each with its printed figure beside it.
/// Bars start at zero, so a negative figure draws to the left.
pub(crate) fn bar_chart(chart: &BarChart) -> String {
    let BarChart { title, bars } = chart;
    const ROW: f64 = 22.0;
    const PADDING: f64 = 8.0;
    const VALUE_LABEL: f64 = 72.0;
    let longest_name = bars.iter().map(|b| display_width(&b.name)).max();
    let left = longest_name.unwrap_or(0) as f64 * HALF_EM + 2.0 * PADDING;
    let right = WIDTH - VALUE_LABEL;
    let values = || bars.iter().filter_map(|b| b.value);
    let low = values().fold(0.0, f64::min);
    let high = values().fold(0.0, f64::max);
    let span = if high > low { high - low } else { 1.0 };
    let x = |v: f64| left + (v - low) / span * (right - left);
    let height = 2.0 * PADDING + ROW * bars.len() as f64;

    let mut svg = open(title, height);
    for (i, bar) in bars.iter().enumerate() {
        let top = PADDING + ROW * i as f64;
        let middle = top + ROW / 2.0;
        svg.push_str(&text(left - PADDING, middle, "end", &bar.name));
        let end = match bar.value {
            Some(v) => {
                let (from, to) = (x(v.min(0.0)), x(v.max(0.0)));
                svg.push_str(&format!(
                    r#"<rect x="{from:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{BAR_COLOUR}"/>"#,
                    top + 4.0,
                    to - from,
                    ROW - 8.0
                ));
                to
            }
            None => x(0.0),
        };
        svg.push_str(&text(end + 4.0, middle, "start", &bar.label));
    }
    svg.push_str(&line(
        x(0.0),
        PADDING,
        x(0.0),
        height - PADDING,
        AXIS_COLOUR,
        "",
    ));
    svg.push_str("</svg>");
    svg
}

/// Lines by category (month) with labelled points and a legend above. A [`Scale::Percent`]
/// chart runs 0–100%, widened in steps of 20 to fit any value outside it; a [`Scale::Fit`]
/// one spans the values in round steps.
pub(crate) fn line_chart(chart: &LineChart) -> String {
    const HEIGHT: f64 = 280.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 28.0;
    let LineChart {
        title,
        scale,
        categories,
        series,
        ..
    } = chart;
    let values = || {
        series
            .iter()
            .flat_map(|s| s.points.iter().flatten().map(|p| p.0))
    };
    let (low, high, step) = match scale {
        Scale::Percent => {
            const STEP: f64 = 20.0;
            let low = (values().fold(0.0, f64::min) / STEP).floor() * STEP;
            let high = (values().fold(100.0, f64::max) / STEP).ceil() * STEP;
            (low, high, STEP)
        }
        Scale::Fit => fitted(
            values().fold(f64::INFINITY, f64::min),
            values().fold(f64::NEG_INFINITY, f64::max),
        ),
    };
    let tick_label = |tick: f64| match scale {
        Scale::Percent => format!("{tick}%"),
        Scale::Fit => thousands(tick.round() as i64),
    };
    let ticks: Vec<f64> = (0..)
        .map(|i| low + step * f64::from(i))
        .take_while(|t| *t <= high + step / 2.0)
        .collect();
    let widest = ticks
        .iter()
        .map(|t| tick_label(*t).len())
        .max()
        .unwrap_or(0);
    let left = (widest as f64 * HALF_EM + 12.0).max(48.0);
    let column = (WIDTH - left - RIGHT) / categories.len().max(1) as f64;
    let x = |i: usize| left + column * (i as f64 + 0.5);
    let y = |v: f64| TOP + (high - v) / (high - low) * (HEIGHT - TOP - BOTTOM);

    let mut svg = open(title, HEIGHT);
    for tick in ticks {
        svg.push_str(&line(
            left,
            y(tick),
            WIDTH - RIGHT,
            y(tick),
            GRID_COLOUR,
            "",
        ));
        svg.push_str(&text(left - 6.0, y(tick), "end", &tick_label(tick)));
    }
    for (i, category) in categories.iter().enumerate() {
        svg.push_str(&text(x(i), HEIGHT - BOTTOM / 2.0, "middle", category));
    }
    for (k, s) in series.iter().enumerate() {
        let dash = if s.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let legend_x = left + 160.0 * k as f64;
        let stroke = format!(r#" stroke-width="2"{dash}"#);
        svg.push_str(&line(
            legend_x,
            16.0,
            legend_x + 24.0,
            16.0,
            s.colour,
            &stroke,
        ));
        svg.push_str(&text(legend_x + 30.0, 16.0, "start", &s.name));

        // A month without a figure breaks the line rather than bridging it.
        let mut path = String::new();
        let mut joined = false;
        for (i, point) in s.points.iter().enumerate() {
            match point {
                Some((v, _)) => {
                    let pen = if joined { 'L' } else { 'M' };
                    path.push_str(&format!("{pen}{:.1} {:.1} ", x(i), y(*v)));
                    joined = true;
                }
                None => joined = false,
            }
        }
        svg.push_str(&format!(
            r#"<path d="{}" fill="none" stroke="{}"{stroke}/>"#,
            path.trim_end(),
            s.colour
        ));
        for (i, point) in s.points.iter().enumerate() {
            if let Some((v, label)) = point {
                svg.push_str(&format!(
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}"/>"#,
                    x(i),
                    y(*v),
                    s.colour
                ));
                // The top point of a month is labelled above, the others below, so labels
                // stay clear of the other line where the lines run close.
                let beaten = series.iter().enumerate().any(|(j, other)| {
                    other.points[i]
                        .as_ref()
                        .is_some_and(|(w, _)| *w > *v || (*w == *v && j < k))
                });
                let offset = if beaten { 14.0 } else { -10.0 };
                svg.push_str(&text(x(i), y(*v) + offset, "middle", label));
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Round bounds and step for values from `low` to `high`: about five steps of 1, 2 or 5 times
/// a power of ten. A flat or empty series gets a span of one step around it.
fn fitted(low: f64, high: f64) -> (f64, f64, f64) {
    let (low, high) = if low.is_finite() {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    let span = (high - low).max(high.abs().max(1.0) * 1e-3);
    let rough = span / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
        .max(1.0);
    let bottom = (low / step).floor() * step;
    let mut top = (high / step).ceil() * step;
    if top <= bottom {
        top = bottom + step;
    }
    (bottom, top, step)
}

fn open(title: &str, height: f64) -> String {
    let title = escape(title);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-label="{title}" font-size="{FONT_SIZE}"><title>{title}</title>"#
    )
}

/// Text centred vertically on `y`.
fn text(x: f64, y: f64, anchor: &str, content: &str) -> String {
    format!(
        r#"<text x="{x:.1}" y="{y:.1}" dy="0.35em" text-anchor="{anchor}">{}</text>"#,
        escape(content)
    )
}

fn line(x1: f64, y1: f64, x2: f64, y2: f64, colour: &str, extra: &str) -> String {
    format!(
        r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{colour}"{extra}/>"#
    )
}
