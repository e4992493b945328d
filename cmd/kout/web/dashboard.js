// kout --serve: the page.  Each server-sent event is a frame, one JSON
// document with the table and the charts (SVG drawn by kout itself); the
// page redraws from it without reloading.  Nothing here is fetched from
// anywhere but the server that sent the page.
"use strict";

const statusLine = document.getElementById("status");
const charts = document.getElementById("charts");
const head = document.querySelector("#table thead tr");
const body = document.querySelector("#table tbody");
const more = document.getElementById("more");

function cell(tag, text, numeric) {
	const c = document.createElement(tag);
	c.textContent = text;
	c.title = text;
	if (numeric) c.className = "num";
	return c;
}

function drawTable(f) {
	const names = f.columns.map((name, i) => cell("th", name, f.numeric[i]));
	head.replaceChildren(...names);
	const rows = f.rows.map((row) => {
		const tr = document.createElement("tr");
		f.columns.forEach((_, i) => tr.appendChild(cell("td", i < row.length ? row[i] : "", f.numeric[i])));
		return tr;
	});
	body.replaceChildren(...rows);
	more.textContent = f.more > 0 ? "(" + f.more + " more rows)" : "";
}

// The SVG is parsed as SVG, not as HTML, and placed as a node: kout
// escaped every label in it, and the page's policy runs no inline script.
function drawCharts(f) {
	const parser = new DOMParser();
	while (charts.children.length > f.charts.length) charts.lastElementChild.remove();
	f.charts.forEach((svg, i) => {
		let fig = charts.children[i];
		if (!fig) {
			fig = document.createElement("figure");
			fig.className = "chart";
			charts.appendChild(fig);
		}
		const doc = parser.parseFromString(svg, "image/svg+xml");
		if (doc.documentElement.nodeName === "svg")
			fig.replaceChildren(document.importNode(doc.documentElement, true));
	});
}

function draw(f) {
	drawTable(f);
	drawCharts(f);
	document.body.dataset.records = f.records;
	let s = f.records + " records";
	if (f.rejected > 0) s += ", " + f.rejected + " rejected";
	statusLine.textContent = f.ended ? s + " \u2014 input ended" : s + " \u2014 live";
	statusLine.className = f.ended ? "ended" : "";
}

const events = new EventSource("/events");
events.onmessage = (e) => draw(JSON.parse(e.data));
events.onerror = () => {
	statusLine.textContent = "connection lost \u2014 retrying";
	statusLine.className = "lost";
};
