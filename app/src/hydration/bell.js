// The header's bell for a signed-in reader: the unread count, kept live while
// the page is open. One stream a tab: on an article page the article's own
// stream carries the count (its island passes it on as `spotlight:unread`
// events); elsewhere the bell opens the reader's bell stream. On the
// notifications page, what the page shows counts as read once it is on
// screen (a POST, never the GET). Returns what to run after every page.
function startBell() {
	let stream = null;

	function show(count) {
		const bell = document.querySelector(".site-account__bell");
		if (!bell || !Number.isInteger(count)) return;
		bell.setAttribute("aria-label", count === 0 ? "Notifications: none unread" : count === 1 ? "Notifications: 1 unread" : `Notifications: ${count} unread`);
		const badge = bell.querySelector(".site-account__unread");
		if (badge) {
			badge.hidden = count === 0;
			badge.textContent = count > 99 ? "99+" : String(count);
		}
	}
	addEventListener("spotlight:unread", (ev) => show(ev.detail));

	async function markSeen(list) {
		const body = new URLSearchParams({ up_to: list.dataset.seenUpTo });
		try {
			const response = await fetch(list.dataset.markRead, { method: "POST", body, headers: { Accept: "application/json" } });
			if (response.ok) show(await response.json());
		} catch {
			// Not marked: the page's own button still does it.
		}
	}

	return function follow() {
		const seen = document.querySelector("[data-seen-up-to]:not([data-marked])");
		if (seen) {
			seen.dataset.marked = "true";
			markSeen(seen);
		}
		const wanted = document.querySelector(".site-account__bell") && !document.querySelector('leptos-island[data-component^="Conversation"]');
		if (wanted && !stream) {
			stream = new EventSource("/api/v1/me/notifications/live");
			stream.addEventListener("unread", (ev) => {
				try {
					show(JSON.parse(ev.data).unread);
				} catch {
					// A malformed event changes nothing.
				}
			});
		} else if (!wanted && stream) {
			stream.close();
			stream = null;
		}
	};
}
