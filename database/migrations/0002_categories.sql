-- Reference data: the marketplace's top-level categories.
INSERT INTO categories (id, name, slug) VALUES
    (1,  'Phones & Tablets',       'phones-tablets'),
    (2,  'Electronics',            'electronics'),
    (3,  'Fashion',                'fashion'),
    (4,  'Home & Kitchen',         'home-kitchen'),
    (5,  'Health & Beauty',        'health-beauty'),
    (6,  'Groceries',              'groceries'),
    (7,  'Agriculture',            'agriculture'),
    (8,  'Baby & Kids',            'baby-kids'),
    (9,  'Sports & Outdoors',      'sports-outdoors'),
    (10, 'Automotive',             'automotive'),
    (11, 'Books & Stationery',     'books-stationery'),
    (12, 'Crafts & Art',           'crafts-art')
ON CONFLICT (id) DO NOTHING;
SELECT setval(pg_get_serial_sequence('categories', 'id'), (SELECT max(id) FROM categories));
