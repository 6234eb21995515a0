// Marp's settings for every deck (make -C slides reads this file).
// Nothing may come from the network: math (KaTeX fonts) and emoji (Twemoji
// images) would load from a CDN, so both are off.
export default {
	html: true,
	allowLocalFiles: false,
	themeSet: ['theme/vmlab.css'],
	options: {
		math: false,
		emoji: { shortcode: false, unicode: false },
	},
	bespoke: { progress: true },
};
