-- Adds :count generated books to the catalogue (psql -v count=100000 -f bench/generate-catalogue.sql), for
-- benchmarks on a catalogue of realistic size. Titles, authors and descriptions are drawn from word lists; the
-- benchmark's search word, "engineering", is in one description in a hundred (and, stemmed, matches "engine" in
-- one title in thirty), so a search ranks a few thousand books, not the whole catalogue. Not demo data: the shop never loads this itself.
WITH words AS (
    SELECT ARRAY['silent','hidden','practical','modern','lost','quiet','complete','brief','gentle','distant','open',
                 'last','first','secret','simple','clear','long','early','late','wild','careful','patient','bold','small']
               AS adjectives,
           ARRAY['garden','machine','river','engine','city','house','theory','window','harbour','forest','signal',
                 'winter','kitchen','library','mountain','compiler','network','island','letter','road','mirror',
                 'lantern','bridge','orchard','voyage','market','clock','pattern','circuit','atlas']
               AS nouns,
           ARRAY['Ada','Alan','Grace','Edsger','Barbara','Donald','Frances','Ken','Margaret','Dennis','Radia','John',
                 'Hedy','Claude','Karen','Niklaus','Sophie','Tim','Katherine','Brian']
               AS first_names,
           ARRAY['Okafor','Lindqvist','Moreau','Tanaka','Silva','Novak','Kowalski','Haddad','Brennan','Rossi',
                 'Nakamura','Fischer','Dubois','Ivanova','Mendes','Larsen','Quinn','Achebe','Castillo','Weber']
               AS last_names,
           ARRAY['a','story','about','the','and','of','how','people','build','keep','lose','find','their','way',
                 'through','years','work','change','with','every','chapter','careful','account','history','craft',
                 'design','practice','small','teams','large','systems','friends',
                 'letters','journey','question','answer','patient','observation','daily','life','written',
                 'clearly','for','readers','who','want','to','understand','why','things','fail','succeed']
               AS vocabulary
)
INSERT INTO books (slug, title, author, description, price_minor, currency, stock, cover_color, created_at)
SELECT 'generated-' || n,
       initcap(adjectives[1 + (n * 7) % 24] || ' ' || nouns[1 + (n * 13) % 30] || ' of the '
               || nouns[1 + (n * 31 + n / 30) % 30]) || ' ' || n,
       first_names[1 + (n * 3) % 20] || ' ' || last_names[1 + (n * 11 + n / 20) % 20],
       (SELECT string_agg(vocabulary[1 + ((n * 17 + k * 29 + k * k) % 53)], ' ') FROM generate_series(1, 60) AS k)
           || CASE WHEN n % 100 = 0 THEN ', with a chapter on engineering.' ELSE '.' END,
       500 + (n * 37) % 5500,
       'USD',
       (n * 5) % 50,
       '#' || lpad(to_hex((n * 2654435761) % 16777216), 6, '0'),
       TIMESTAMP '2020-01-01 00:00:00' + (n || ' minutes')::interval
FROM words, generate_series(1, :count) AS n;
-- As autovacuum leaves a table that has settled: statistics, and the visibility map that lets PostgreSQL count the
-- books on sale from an index alone.
VACUUM ANALYZE books;
