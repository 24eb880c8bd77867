// Wakes the page's islands (its only interactive parts) once it has loaded,
// and turns on in-site navigation and video facades. The bundle is fetched
// only when a page has an island to wake: pages without one need no
// WebAssembly at all. Called with the bundle's two file names
// (content-hashed) and the functions of `navigation.js`, `facades.js` and
// `bell.js`.
((js, wasm, navigation, facades, bell) => {
	let bundle = null;
	let followBell = () => {};
	let loading = null;

	// Not before the page's first paint, and a frame after it: a bundle
	// requested while the lead image is still being painted lands on the
	// largest paint's critical path (Lighthouse then counts its 180 KB against
	// the LCP, which jumped between 0.9 and 2.3 s from one run to the next).
	// Chromium may paint first after `load`, and decode an image a frame
	// later. A hidden tab paints nothing, hence the timer.
	const afterPaint = () =>
		new Promise((painted) => {
			const fallback = setTimeout(painted, 1000);
			const nextFrame = () =>
				requestAnimationFrame(() =>
					setTimeout(() => {
						clearTimeout(fallback);
						painted();
					}, 0),
				);
			if (performance.getEntriesByName("first-contentful-paint").length) {
				nextFrame();
			} else {
				try {
					new PerformanceObserver((_, observer) => {
						observer.disconnect();
						nextFrame();
					}).observe({ type: "paint", buffered: true });
				} catch {
					// No paint timing here: the timer decides.
				}
			}
		});

	const load = () =>
		(loading ??= afterPaint().then(() => import(js)).then((m) =>
			m.default({ module_or_path: wasm }).then(() => {
				m.hydrate();
				bundle = m;
				return m;
			}),
		));

	// Hydrates every island under `root` not yet awake, then lets the bundle
	// dispose of islands that a navigation took off the page.
	const wake = async (root) => {
		const asleep = [...root.querySelectorAll("leptos-island")].filter((island) => !island.$$awake);
		if (asleep.length) {
			const m = await load();
			for (const island of asleep) {
				if (island.$$awake || !island.isConnected) continue;
				island.$$awake = true;
				const start = m[island.dataset.component];
				if (start) {
					start(island);
				} else {
					console.warn(`Spotlight: no code for the island ${island.dataset.component}`);
				}
			}
		}
		bundle?.islands_left();
		followBell();
		document.body.dataset.hydrated = "true";
	};

	const go = () => {
		facades();
		followBell = bell();
		navigation(wake);
	};
	document.readyState === "complete" ? go() : addEventListener("load", go, { once: true });
})
