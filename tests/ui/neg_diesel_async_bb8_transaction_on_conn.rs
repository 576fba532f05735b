// Negative: diesel-async with a bb8 pool. `conn.transaction(|c| ..)` runs on the held connection and
// every query in it uses `c` (diesel has no implicit checkouts), so the pool is touched once.
use diesel::prelude::*;
use diesel_async::pooled_connection::bb8::Pool;
use diesel_async::scoped_futures::ScopedFutureExt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::schema::{seats, bookings};

pub async fn book_seat(pool: &Pool<AsyncPgConnection>, show_id: i32, seat_no: i32, customer_id: i32) -> anyhow::Result<bool> {
    let mut conn = pool.get().await?;
    let booked = conn
        .transaction::<bool, diesel::result::Error, _>(|c| {
            async move {
                let taken = diesel::update(
                    seats::table
                        .filter(seats::show_id.eq(show_id))
                        .filter(seats::seat_no.eq(seat_no))
                        .filter(seats::booked.eq(false)),
                )
                .set(seats::booked.eq(true))
                .execute(c)
                .await?;
                if taken == 0 {
                    return Ok(false);
                }
                diesel::insert_into(bookings::table)
                    .values((bookings::show_id.eq(show_id), bookings::seat_no.eq(seat_no), bookings::customer_id.eq(customer_id)))
                    .execute(c)
                    .await?;
                Ok(true)
            }
            .scope_boxed()
        })
        .await?;
    Ok(booked)
}
