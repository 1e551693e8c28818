/** The page at GET /demo: something realistic to leave feedback on. */

/** HTML for GET /demo. */
export const DEMO_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Loupe demo — Northwind Trails</title>
  <style>
    :root { --ink: #1d2433; --muted: #5b6478; --brand: #0f766e; --line: #d9dee8; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 17px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif;
      color: var(--ink); background: #fbfcfd; }
    header { display: flex; justify-content: space-between; align-items: center;
      padding: 1rem 2rem; border-bottom: 1px solid var(--line); background: #fff; }
    header strong { color: var(--brand); letter-spacing: 0.02em; }
    nav a { color: var(--muted); margin-left: 1.25rem; text-decoration: none; }
    .hero { background: #0f766e; color: #fff; padding: 4rem 2rem; text-align: center; }
    .hero h1 { margin: 0 0 0.5rem; font-size: 2.5rem; }
    .hero p { margin: 0 auto; max-width: 36rem; opacity: 0.9; }
    main { max-width: 52rem; margin: 0 auto; padding: 2.5rem 2rem 4rem; }
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1.25rem; }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1.25rem; }
    .card h3 { margin-top: 0; }
    form { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1.5rem;
      display: grid; gap: 1rem; margin-top: 2.5rem; }
    label { display: grid; gap: 0.35rem; font-weight: 600; font-size: 0.95rem; }
    input, select, textarea { font: inherit; padding: 0.55rem 0.7rem; border: 1px solid var(--line);
      border-radius: 6px; font-weight: 400; }
    button { font: inherit; font-weight: 600; padding: 0.65rem 1.2rem; border: 0; border-radius: 6px;
      background: var(--brand); color: #fff; cursor: pointer; justify-self: start; }
    footer { text-align: center; color: var(--muted); font-size: 0.9rem; padding: 2rem; }
  </style>
</head>
<body>
  <header>
    <strong>Northwind Trails</strong>
    <nav aria-label="Main"><a href="#routes">Routes</a><a href="#book">Book</a><a href="/">About</a></nav>
  </header>
  <section class="hero" id="hero">
    <h1>Walk the coast, one village at a time</h1>
    <p>Guided and self-guided hiking holidays along the northern cliffs. This is a demo page
      for trying Loupe: open the extension and tell us what you think of it.</p>
  </section>
  <main>
    <h2 id="routes">Popular routes</h2>
    <p>Every route is graded by distance and climb, and each night is spent in a small
      family-run inn. Luggage travels ahead of you by van, so all you carry is a day pack.</p>
    <div class="grid">
      <article class="card"><h3>Lighthouse Loop</h3><p>3 days · 42 km · easy. Sandy coves and
        two lighthouses, with a ferry crossing on day two.</p></article>
      <article class="card"><h3>High Moor Traverse</h3><p>5 days · 96 km · moderate. Open
        moorland, standing stones and a night in a converted mill.</p></article>
      <article class="card"><h3>Cliffs &amp; Castles</h3><p>7 days · 131 km · hard. The full
        coast path, with steep climbs rewarded by wide sea views.</p></article>
    </div>
    <form id="book" onsubmit="event.preventDefault(); this.querySelector('output').value = 'Thanks! (This form sends nothing.)';">
      <h2 style="margin:0">Request a booking</h2>
      <label>Full name <input name="name" autocomplete="name" placeholder="Ada Lovelace"></label>
      <label>Email <input name="email" type="email" autocomplete="email" placeholder="ada@example.com"></label>
      <label>Route
        <select name="route"><option>Lighthouse Loop</option><option>High Moor Traverse</option>
          <option>Cliffs &amp; Castles</option></select></label>
      <label>Anything we should know? <textarea name="notes" rows="3"></textarea></label>
      <button type="submit">Send request</button>
      <output aria-live="polite"></output>
    </form>
  </main>
  <footer>Northwind Trails is fictional. Served by the Loupe server for testing the extension.</footer>
</body>
</html>
`;
