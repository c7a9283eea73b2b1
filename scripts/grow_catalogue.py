#!/usr/bin/env python3
"""Grows (or shrinks) the catalogue of a stopped shop's SQLite file to N products, for the
catalogue-size figures (scripts/load-figures.sh): the demo products are copied with numbered
slugs, names, stock codes and search text, each copy with the original's variants and images.

  scripts/grow_catalogue.py FILE N
"""

import sqlite3
import sys

path, target = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
db.execute("PRAGMA foreign_keys = ON")
product_columns = [row[1] for row in db.execute("PRAGMA table_info(products)") if row[1] != "id"]
variant_columns = [row[1] for row in db.execute("PRAGMA table_info(variants)") if row[1] not in ("id", "product_id")]
image_columns = [row[1] for row in db.execute("PRAGMA table_info(product_images)") if row[1] not in ("id", "product_id")]
originals = [row[0] for row in db.execute("SELECT id FROM products ORDER BY id")]
count = len(originals)
copy = 0
while count < target:
    copy += 1
    for original in originals:
        if count >= target:
            break
        row = dict(zip(product_columns, db.execute(f"SELECT {', '.join(product_columns)} FROM products WHERE id = ?", (original,)).fetchone()))
        row["slug"] = f"{row['slug']}-{copy}"
        for name in ("name_tr", "name_en", "search_text"):
            row[name] = f"{row[name]} {copy}"
        new_id = db.execute(
            f"INSERT INTO products ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
        ).lastrowid
        for variant in db.execute(f"SELECT {', '.join(variant_columns)} FROM variants WHERE product_id = ?", (original,)).fetchall():
            variant = dict(zip(variant_columns, variant))
            variant["sku"] = f"{variant['sku']}-{copy}"
            db.execute(
                f"INSERT INTO variants (product_id, {', '.join(variant)}) VALUES (?, {', '.join('?' for _ in variant)})",
                [new_id, *variant.values()],
            )
        for image in db.execute(f"SELECT {', '.join(image_columns)} FROM product_images WHERE product_id = ?", (original,)).fetchall():
            db.execute(
                f"INSERT INTO product_images (product_id, {', '.join(image_columns)}) VALUES (?, {', '.join('?' for _ in image)})",
                [new_id, *image],
            )
        count += 1
if count > target:
    db.execute("DELETE FROM products WHERE id IN (SELECT id FROM products ORDER BY id DESC LIMIT ?)", (count - target,))
db.commit()
products, variants = db.execute("SELECT (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM variants)").fetchone()
print(f"  catalogue: {products} products, {variants} variants")
