//! The "why now" page: the lecture's table as a log-scale chart with this
//! browser's measured speed on it, the measurement's card, the table itself,
//! the three drivers, the timeline and the investment figures.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::chart::{self, power_of_ten, ChartState, BROWSER_RGB};
use super::decades::{CHIP_CELLS, DECADES, FLOPS_CELLS, GROWTH_CELLS, RAM_CELLS, SERIES};
use super::meter::{self, Phase};
use super::model::Model;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::hover::Hover;
use crate::lessons::kit::page::{self, line_list, section_card, Columns, Redraw};
use crate::lessons::{LessonView, Mount};
use crate::widgets::dom::{child as add, child_text as text};
use crate::widgets::{dom, on_pointer, Button, HiDpiCanvas, Listener};

const CHART_ASPECT: f64 = 0.62;
const CHART_MAX_WIDTH: u32 = 900;

/// The lecture's venture capital figures, in millions of US dollars.
const INVESTMENT_2011: f64 = 19.0;
const INVESTMENT_2014: f64 = 394.0;

/// The "why now" page.
pub struct View {
    lang: Lang,
    canvas: HiDpiCanvas,
    /// A decade's values under the pointer or the arrow keys.
    hover: Hover,
    measure: Button,
    progress: HtmlElement,
    progress_fill: HtmlElement,
    speed: HtmlElement,
    column: HtmlElement,
    status: HtmlElement,
    decade_title: HtmlElement,
    decade_cells: Vec<HtmlElement>,
    table_columns: Vec<Vec<HtmlElement>>,
    table_buttons: Vec<Button>,
    redraw: Redraw,
    listeners: Vec<Listener>,
}

/// The lecture's table: a row per quantity, a column per decade; the column
/// headings are buttons that choose the decade.
fn table(parent: &HtmlElement, lang: Lang) -> (Vec<Vec<HtmlElement>>, Vec<Button>) {
    let t = |key| lang.text(key);
    let section = section_card(
        parent,
        "why-table-card",
        "why-table",
        "table",
        t(Key::WhyTableHeading),
    );
    let scroll = add(&section, "div", "why-table-scroll");
    let table = add(&scroll, "table", "why-table");
    let head = add(&table, "tr", "");
    add(&head, "th", "");
    let mut columns: Vec<Vec<HtmlElement>> = vec![Vec::new(); DECADES.len()];
    let mut buttons = Vec::new();
    for (i, year) in DECADES.iter().enumerate() {
        let th = add(&head, "th", "");
        let button = Button::build(&year.to_string(), "small why-decade");
        dom::set_attr(&button.element, "data-decade", &year.to_string());
        dom::append_node(&th, &button.element);
        columns[i].push(th);
        buttons.push(button);
    }
    let rows: [(Key, Vec<&str>); 5] = [
        (Key::WhyRowData, t(Key::WhyDataCells).split('|').collect()),
        (Key::WhyRowRam, RAM_CELLS.to_vec()),
        (Key::WhyRowFlops, FLOPS_CELLS.to_vec()),
        (Key::WhyRowChip, CHIP_CELLS.to_vec()),
        (Key::WhyRowGrowth, GROWTH_CELLS.to_vec()),
    ];
    for (name, cells) in rows {
        let tr = add(&table, "tr", "");
        text(&tr, "th", "why-row-name", t(name));
        for (column, cell) in columns.iter_mut().zip(cells) {
            column.push(text(&tr, "td", "", cell));
        }
    }
    text(&section, "p", "why-note", t(Key::WhyTableNote));
    (columns, buttons)
}

/// The drivers, the timeline and the investment: text cards under the chart.
fn cards(parent: &HtmlElement, lang: Lang) {
    let t = |key| lang.text(key);
    let drivers = section_card(
        parent,
        "why-drivers",
        "why-drivers",
        "drivers",
        t(Key::WhyDriversHeading),
    );
    text(&drivers, "p", "why-lead", t(Key::WhyDriversLead));
    let grid = add(&drivers, "div", "why-driver-grid");
    for (title, points) in [
        (Key::WhyDriverData, Key::WhyDriverDataText),
        (Key::WhyDriverHardware, Key::WhyDriverHardwareText),
        (Key::WhyDriverAlgorithms, Key::WhyDriverAlgorithmsText),
    ] {
        let item = add(&grid, "div", "why-driver");
        text(&item, "h4", "", t(title));
        line_list(&item, "ul", "", t(points));
    }

    // LeNet 1989, LSTM 1997, … 2012: the ideas were old, the success new.
    let timeline = section_card(
        parent,
        "why-timeline",
        "why-timeline",
        "timeline",
        t(Key::WhyTimelineHeading),
    );
    let events = add(&timeline, "ol", "why-events");
    for line in t(Key::WhyTimelineEvents).lines() {
        let (year, what) = line.split_once('|').unwrap_or((line, ""));
        let turn = if year == "2012" {
            "why-event why-event-turn"
        } else {
            "why-event"
        };
        let item = add(&events, "li", turn);
        text(&item, "span", "why-event-year", year);
        text(&item, "span", "why-event-text", what);
    }
    text(&timeline, "p", "why-note", t(Key::WhyTimelineQuestion));

    // 2011's $19M against 2014's $394M as bars, and the deals that followed.
    let money = section_card(
        parent,
        "why-money",
        "why-money",
        "investment",
        t(Key::WhyMoneyHeading),
    );
    for (label, millions) in [
        (Key::WhyMoney2011, INVESTMENT_2011),
        (Key::WhyMoney2014, INVESTMENT_2014),
    ] {
        let row = add(&money, "div", "why-bar-row");
        text(&row, "span", "why-bar-label", t(label));
        let bar = add(&add(&row, "div", "why-bar-track"), "div", "why-bar");
        let share = millions / INVESTMENT_2014 * 100.0;
        dom::set_attr(&bar, "style", &format!("width: {share:.1}%"));
    }
    let ratio = format!("{:.0}", INVESTMENT_2014 / INVESTMENT_2011);
    text(
        &money,
        "p",
        "why-lead",
        &lang.fill(Key::WhyMoneyRatio, &[("ratio", &ratio)]),
    );
    line_list(&money, "ul", "why-deals", t(Key::WhyMoneyDeals));
}

impl View {
    fn write_measurement(&self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        let meter = model.meter();
        let phase = meter.phase();
        self.measure.set_label(lang.text(match phase {
            Phase::Idle => Key::WhyMeasure,
            Phase::Running => Key::WhyMeasuring,
            Phase::Done => Key::WhyMeasureAgain,
        }));
        self.measure.element.set_disabled(phase == Phase::Running);
        let percent = meter.progress() * 100.0;
        dom::set_attr(
            &self.progress_fill,
            "style",
            &format!("width: {percent:.0}%"),
        );
        dom::set_attr(&self.progress, "aria-valuenow", &format!("{percent:.0}"));
        let gflops = meter.flops_per_second().map(|f| f / 1e9);
        let speed = gflops.map_or("—".to_string(), |g| format!("{g:.1}"));
        dom::set_text_if_changed(&self.speed, &speed);
        let equivalent = model.equivalent();
        let column = equivalent.map_or("—".to_string(), |e| DECADES[e.nearest].to_string());
        dom::set_text_if_changed(&self.column, &column);
        let status = match (phase, equivalent) {
            (Phase::Idle, _) => lang.text(Key::WhyMeasureIdle).to_string(),
            (Phase::Running, _) => lang.fill(
                Key::WhyMeasureRunning,
                &[
                    ("percent", &format!("{percent:.0}")),
                    ("products", &meter.products().to_string()),
                ],
            ),
            (Phase::Done, Some(e)) => lang.fill(
                if e.outside {
                    Key::WhyMeasureOutside
                } else {
                    Key::WhyMeasureResult
                },
                &[
                    ("gflops", &speed),
                    ("decade", &DECADES[e.nearest].to_string()),
                    ("year", &format!("{:.0}", e.year)),
                    ("products", &meter.products().to_string()),
                    ("isa", meter.isa_name()),
                ],
            ),
            (Phase::Done, None) => String::new(),
        };
        dom::set_text_if_changed(&self.status, &status);
        Ok(())
    }

    fn write_decade(&self, model: &Model) -> WebResult<()> {
        let lang = self.lang;
        let d = model.decade();
        dom::set_text_if_changed(
            &self.decade_title,
            &lang.fill(Key::WhyDecadeTitle, &[("decade", &DECADES[d].to_string())]),
        );
        let data: Vec<&str> = lang.text(Key::WhyDataCells).split('|').collect();
        let values = [
            data.get(d).copied().unwrap_or(""),
            RAM_CELLS[d],
            FLOPS_CELLS[d],
            CHIP_CELLS[d],
        ];
        for (cell, value) in self.decade_cells.iter().zip(values) {
            dom::set_text_if_changed(cell, value);
        }
        for (i, column) in self.table_columns.iter().enumerate() {
            for cell in column {
                let _ = cell.class_list().toggle_with_force("chosen", i == d);
            }
        }
        for (i, button) in self.table_buttons.iter().enumerate() {
            dom::set_attr(
                &button.element,
                "aria-pressed",
                if i == d { "true" } else { "false" },
            );
        }
        Ok(())
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, .. }: &Mount, _model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let columns = Columns::new(root)?;
        let wrap = add(&columns.figure, "div", "canvas-wrap why-chart");
        dom::name_control(&wrap, "chart");
        let canvas = HiDpiCanvas::picture("why-canvas", "why-canvas", t(Key::WhyChartDescription))?;
        dom::append_node(&wrap, &canvas.element);
        let hover = Hover::attach(&canvas, lang)?;
        let legend_items: Vec<([u8; 3], &str)> = SERIES
            .iter()
            .map(|s| (s.rgb, t(s.name)))
            .chain([(BROWSER_RGB, t(Key::WhyLegendBrowser))])
            .collect();
        page::legend(&columns.figure, &legend_items)?;
        text(&columns.figure, "p", "why-note", t(Key::WhyChartNote));

        // The card: measure this browser, then the chosen decade.
        let measure_box: HtmlElement = dom::create_as("div", "why-measure");
        text(&measure_box, "h3", "", t(Key::WhyMeasureHeading));
        let sizes = [
            ("m", meter::M.to_string()),
            ("k", meter::K.to_string()),
            ("n", meter::N.to_string()),
        ];
        let sizes: Vec<(&str, &str)> = sizes.iter().map(|(k, v)| (*k, v.as_str())).collect();
        text(
            &measure_box,
            "p",
            "why-note",
            &lang.fill(Key::WhyMeasureExplain, &sizes),
        );
        let measure = Button::build(t(Key::WhyMeasure), "primary");
        measure.element.set_id("why-measure");
        dom::append_node(&measure_box, &measure.element);
        let progress = add(&measure_box, "div", "why-progress");
        progress.set_id("why-progress");
        for (name, value) in [
            ("role", "progressbar"),
            ("aria-valuemin", "0"),
            ("aria-valuemax", "100"),
            ("aria-valuenow", "0"),
            ("aria-label", t(Key::WhyProgressLabel)),
        ] {
            dom::set_attr(&progress, name, value);
        }
        let progress_fill = add(&progress, "div", "why-progress-fill");
        let (readouts, [speed, column]) = page::readouts(
            &measure_box,
            [
                (t(Key::WhyReadoutSpeed), "why-gflops"),
                (t(Key::WhyReadoutColumn), "why-column"),
            ],
        )?;
        dom::set_attr(&readouts, "class", "readouts why-readouts");
        let status = page::status_line("p", "why-status", "why-status")?;
        dom::append_node(&measure_box, &status);

        let decade_box: HtmlElement = dom::create_as("div", "why-decade-box");
        let decade_title = text(&decade_box, "h3", "", "");
        decade_title.set_id("why-decade-title");
        let list = add(&decade_box, "dl", "why-decade-list");
        let mut cells = Vec::new();
        for key in [
            Key::WhyRowData,
            Key::WhyRowRam,
            Key::WhyRowFlops,
            Key::WhyRowChip,
        ] {
            text(&list, "dt", "", t(key));
            cells.push(text(&list, "dd", "", ""));
        }
        columns.add(&[(&measure_box, "measure"), (&decade_box, "decade")])?;
        columns.keyboard_hint(t(Key::WhyKeys))?;

        let below = add(root, "div", "why-below");
        let (table_columns, table_buttons) = table(&below, lang);
        cards(&below, lang);

        let (redraw, on_resize) = Redraw::new()?;
        Ok(View {
            lang,
            canvas,
            hover,
            measure,
            progress,
            progress_fill,
            speed,
            column,
            status,
            decade_title,
            decade_cells: cells,
            table_columns,
            table_buttons,
            redraw,
            listeners: vec![on_resize],
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        bind.keep(self.measure.on_click(bind.act(Model::measure))?);
        for (i, button) in self.table_buttons.iter().enumerate() {
            bind.keep(button.on_click(bind.act(move |m: &mut Model| m.choose(i)))?);
        }
        let chart = model.clone();
        let canvas = self.canvas.element.clone();
        bind.keep(on_pointer(&self.canvas.element, "click", move |(x, _)| {
            let width = f64::from(canvas.client_width());
            if let Some(i) = chart::column_at(width, x) {
                chart.borrow_mut().choose(i);
            }
            Ok(())
        })?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let resized = self.redraw.take_resize()
            && self.canvas.fit_to_parent(CHART_ASPECT, CHART_MAX_WIDTH)?;
        if !self.redraw.due(resized, model.revision()) {
            return Ok(());
        }
        self.write_measurement(model)?;
        self.write_decade(model)?;
        let label;
        let browser = match (model.equivalent(), model.meter().flops_per_second()) {
            (Some(e), Some(flops)) => {
                label = self.lang.fill(
                    Key::WhyChartBrowser,
                    &[("gflops", &format!("{:.1}", flops / 1e9))],
                );
                Some((e.year, flops.log10(), label.as_str()))
            }
            _ => None,
        };
        chart::draw(
            &self.canvas,
            &ChartState {
                decade: model.decade(),
                browser,
            },
        )?;
        let placed = browser.map_or(String::new(), |(year, level, _)| {
            format!("{year:.1} {}", power_of_ten(level.floor() as i32))
        });
        dom::set_attr(&self.canvas.element, "data-browser", &placed);
        let (w, h) = self.canvas.css_size();
        let panel = chart::readout(f64::from(w), f64::from(h), self.lang);
        self.hover.show(&self.canvas, vec![panel])
    }
}
