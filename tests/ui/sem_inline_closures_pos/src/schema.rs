diesel::table! {
    price_list_items (id) {
        id -> Int4,
        list_id -> Int4,
        sku -> Text,
        discount_pct -> Int4,
    }
}

diesel::table! {
    products (sku) {
        sku -> Text,
        base_price_cents -> Int8,
        price_cents -> Int8,
    }
}

diesel::table! {
    price_changes (id) {
        id -> Int4,
        list_id -> Int4,
        affected -> Int4,
    }
}
