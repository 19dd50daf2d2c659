// The voting panel on a page that has no live room of its own (the meeting page): connect one and mount the panel.

import { connectRoom } from "./room.js";
import { mountVoteScreen } from "./vote-screen.js";

const container = document.getElementById("vote-screen");
const strings = JSON.parse(document.getElementById("vote-strings").textContent);
const room = connectRoom({ meetingId: Number(container.dataset.meetingId) });
mountVoteScreen(room, { container, strings });
container.room = room; // for tests
