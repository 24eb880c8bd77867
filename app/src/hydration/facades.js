// Video facades in article bodies (HTML from the importer): a link to the
// video on its site, turned into the player in place when the reader plays
// it. Nothing is fetched from the player's host before the reader shows
// interest (pointer over or focus on a facade warms up the connection).
function startFacades() {
	const facadeOf = (ev) => (ev.target instanceof Element ? ev.target.closest("a.video-facade[data-player]") : null);

	function play(facade) {
		const player = document.createElement("iframe");
		player.src = facade.dataset.player;
		player.title = facade.dataset.title || "Video";
		player.allow = "accelerometer; autoplay; encrypted-media; gyroscope; picture-in-picture; fullscreen";
		player.allowFullscreen = true;
		player.loading = "eager";
		player.className = "video-player";
		facade.replaceWith(player);
	}

	function warmUp(facade) {
		const origin = new URL(facade.dataset.player, location.href).origin;
		if (!origin.startsWith("https://") || document.querySelector(`link[rel="preconnect"][href="${origin}"]`)) return;
		const link = document.createElement("link");
		link.rel = "preconnect";
		link.href = origin;
		document.head.append(link);
	}

	document.addEventListener("click", (ev) => {
		const facade = facadeOf(ev);
		if (facade && ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey && !ev.altKey) {
			ev.preventDefault();
			play(facade);
		}
	});
	// A link plays on Enter by itself; Space is what a button would also take.
	document.addEventListener("keydown", (ev) => {
		const facade = ev.key === " " && facadeOf(ev);
		if (facade) {
			ev.preventDefault();
			play(facade);
		}
	});
	for (const kind of ["pointerover", "focusin"]) {
		document.addEventListener(kind, (ev) => {
			const facade = facadeOf(ev);
			if (facade) warmUp(facade);
		});
	}
}
