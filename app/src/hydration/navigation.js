// In-site navigation without a new document. A link to another page of the
// site, or a form sent to it, is fetched; the answer's <body> replaces this
// one, its title and meta tags replace these, and its islands wake. The
// server sends the same HTML a reader without JavaScript gets, so every page
// and every form works both ways. Islands handle their own clicks and forms
// (they cancel the event); these listeners are re-added after every wake so
// that they run after the bundle's own, and see what it cancelled.
function startNavigation(wake) {
	let visits = 0;
	history.scrollRestoration = "manual";

	// A page of another build (after a deploy) is loaded whole.
	const buildOf = (doc) =>
		`${doc.querySelector("script[data-bundle]")?.dataset.bundle} ${doc.querySelector('link[rel="stylesheet"]')?.getAttribute("href")}`;

	// Pages of this site, not its API, bundle or files (feeds, images).
	const isPage = (url) =>
		url.origin === location.origin &&
		!/^\/(api|_fn|pkg)\//.test(url.pathname) &&
		!/\.[a-z0-9]+$/i.test(url.pathname);

	const samePage = (a, b) => a.pathname === b.pathname && a.search === b.search;

	function linkOf(ev) {
		if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return null;
		const a = ev.target instanceof Element ? ev.target.closest("a[href]") : null;
		if (!a || a.target || a.hasAttribute("download") || a.relList.contains("external")) return null;
		const url = new URL(a.href);
		if (!isPage(url)) return null;
		// A jump within this page is the browser's.
		if (url.hash && samePage(url, location)) return null;
		return url;
	}

	function formOf(ev) {
		const form = ev.target;
		if (ev.defaultPrevented || !(form instanceof HTMLFormElement) || form.target) return null;
		const submitter = ev.submitter;
		const method = (submitter?.getAttribute("formmethod") || form.method).toUpperCase();
		const url = new URL(submitter?.getAttribute("formaction") || form.action, location.href);
		if (url.origin !== location.origin || form.enctype === "multipart/form-data") return null;
		const data = new URLSearchParams(new FormData(form, submitter));
		if (method === "GET") {
			url.search = data.toString();
			return isPage(url) ? { form, url, init: {} } : null;
		}
		return method === "POST" ? { form, url, init: { method: "POST", body: data, form } } : null;
	}

	function say(message) {
		let line = document.getElementById("navigation-error");
		if (!line) {
			line = document.createElement("p");
			line.id = "navigation-error";
			line.className = "navigation-error";
			line.setAttribute("role", "alert");
			document.getElementById("main")?.prepend(line);
		}
		line.textContent = message;
	}

	async function visit(url, init, { push, scrollY }) {
		const visit = ++visits;
		const root = document.documentElement;
		root.classList.add("is-navigating");
		let response, html;
		try {
			response = await fetch(url.href, { method: init.method, body: init.body, headers: { Accept: "text/html" }, credentials: "same-origin" });
			html = await response.text();
		} catch {
			if (visit === visits) {
				root.classList.remove("is-navigating");
				say("Spotlight could not be reached. Check your connection, then try again.");
			}
			return false;
		}
		if (visit !== visits) return false;
		root.classList.remove("is-navigating");
		const posted = init.method === "POST";
		const isHtml = (response.headers.get("content-type") || "").includes("text/html");
		const doc = isHtml ? new DOMParser().parseFromString(html, "text/html") : null;
		if (!doc || buildOf(doc) !== buildOf(document)) {
			// Not a page of this build: the browser loads it (a form's answer is
			// already in: what follows is a plain GET).
			location.assign(posted && !isHtml ? location.href : response.url || url.href);
			return false;
		}
		const to = new URL(response.url || url.href);
		if (!response.redirected && url.hash) to.hash = url.hash;
		const stayed = posted && samePage(to, location);
		if (push) {
			history.replaceState({ scrollY: window.scrollY }, "");
			if (stayed) history.replaceState({ scrollY: window.scrollY }, "", to.href);
			else history.pushState({ scrollY: 0 }, "", to.href);
		}
		document.body.dataset.hydrated = "false";
		const focused = document.activeElement?.id;
		const typed = stayed && init.form ? typedInto(init.form) : null;
		swap(doc);
		if (typed) putBack(typed);
		if (scrollY !== undefined) window.scrollTo(0, scrollY);
		else if (to.hash) document.getElementById(decodeURIComponent(to.hash.slice(1)))?.scrollIntoView();
		else if (!stayed) window.scrollTo(0, 0);
		settleFocus(stayed ? focused : null);
		await wake(document.body);
		listen();
		return true;
	}

	// What the reader typed into a form's text fields: put back when the
	// same page comes back (an error), as it would have stayed had the page
	// not been replaced. The server refills only what it may keep (never a
	// password); the reader's own browser keeps the rest.
	function typedInto(form) {
		const fields = [...form.elements].filter(
			(el) => (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) && !/^(hidden|submit|button|checkbox|radio|file)$/.test(el.type) && el.name && el.value,
		);
		return { action: form.getAttribute("action"), values: fields.map((el) => [el.name, el.value]) };
	}

	function putBack({ action, values }) {
		const form = [...document.forms].find((f) => f.getAttribute("action") === action);
		if (!form) return;
		for (const [name, value] of values) {
			const field = form.elements.namedItem(name);
			if ((field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement) && !field.value) field.value = value;
		}
	}

	// The new page in place of the old: body, title and the head's meta tags.
	function swap(doc) {
		document.title = doc.title;
		const meta =
			'meta[name]:not([name="viewport"]):not([name="color-scheme"]):not([name="theme-color"]), meta[property], link[rel="canonical"]';
		document.head.querySelectorAll(meta).forEach((el) => el.remove());
		document.head.append(...doc.head.querySelectorAll(meta));
		document.body.replaceChildren(...doc.body.childNodes);
	}

	// After a form comes back with an error, the first field at fault (or the
	// error) takes the focus; after a new page, its main content does.
	function settleFocus(keep) {
		const fault = document.querySelector('[aria-invalid="true"]') || document.querySelector('.form-error:not([hidden])');
		if (fault) {
			if (!fault.matches("input, textarea, select, button")) fault.tabIndex = -1;
			fault.focus();
		} else if (keep && document.getElementById(keep)) {
			document.getElementById(keep).focus({ preventScroll: true });
		} else if (keep === null) {
			document.getElementById("main")?.focus({ preventScroll: true });
		}
	}

	function onClick(ev) {
		const url = linkOf(ev);
		if (!url) return;
		ev.preventDefault();
		visit(url, {}, { push: true });
	}

	function onSubmit(ev) {
		let sent;
		try {
			sent = formOf(ev);
		} catch {
			return;
		}
		if (!sent) return;
		ev.preventDefault();
		const { form, url, init } = sent;
		if (form.dataset.sending) return;
		form.dataset.sending = "true";
		form.setAttribute("aria-busy", "true");
		visit(url, init, { push: true }).finally(() => {
			delete form.dataset.sending;
			form.removeAttribute("aria-busy");
		});
	}

	let shown = new URL(location.href);
	addEventListener("popstate", (ev) => {
		const url = new URL(location.href);
		const before = shown;
		shown = url;
		// Only the #fragment moved.
		if (samePage(url, before)) return;
		visit(url, {}, { push: false, scrollY: ev.state?.scrollY ?? 0 });
	});
	function listen() {
		shown = new URL(location.href);
		for (const [type, handler] of [
			["click", onClick],
			["submit", onSubmit],
		]) {
			removeEventListener(type, handler);
			addEventListener(type, handler);
		}
	}
	// At once, so links work while the bundle loads; again once the islands
	// are awake, to come after the bundle's own listeners.
	listen();
	wake(document.body).then(listen);
}
