use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::dsl::{count_star, now, sum};
use diesel::prelude::*;
use serde_json::json;

use crate::audit;
use crate::db::{self, DbPool};
use crate::models::{Item, RestockLine, StockAdjustment, Supplier, Transfer};
use crate::schema::{items, suppliers};
use crate::ServiceError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/items/{id}")
            .route(web::get().to(get_item))
            .route(web::delete().to(delete_item)),
    )
    .service(web::resource("/items/{id}/adjust").route(web::post().to(adjust_stock)))
    .service(web::resource("/items/{id}/transfer").route(web::post().to(transfer_stock)))
    .service(web::resource("/reports/restock").route(web::get().to(restock_report)))
    .service(web::resource("/reports/summary").route(web::get().to(stock_summary)));
}

fn actor(req: &HttpRequest) -> String {
    req.headers().get("x-actor").and_then(|v| v.to_str().ok()).unwrap_or("anonymous").to_owned()
}

async fn get_item(pool: web::Data<DbPool>, path: web::Path<i32>) -> Result<HttpResponse, ServiceError> {
    let id = path.into_inner();
    let (item, history) = web::block(move || -> Result<_, ServiceError> {
        let mut conn = db::conn(&pool)?;
        let item = items::table.find(id).first::<Item>(&mut conn).optional()?.ok_or(ServiceError::NotFound)?;
        let history = audit::recent(&mut conn, id, 20)?;
        Ok((item, history))
    })
    .await??;
    Ok(HttpResponse::Ok().json(json!({ "item": item, "history": history })))
}

async fn adjust_stock(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    path: web::Path<i32>,
    body: web::Json<StockAdjustment>,
) -> Result<HttpResponse, ServiceError> {
    let id = path.into_inner();
    let adj = body.into_inner();
    let who = actor(&req);
    let item = web::block(move || -> Result<Item, ServiceError> {
        let mut conn = db::conn(&pool)?;
        conn.transaction::<_, ServiceError, _>(|c| {
            let item = items::table.find(id).for_update().first::<Item>(c)?;
            let new_qty = item.quantity + adj.delta;
            if new_qty < 0 {
                return Err(ServiceError::Conflict(format!("only {} of {} in stock", item.quantity, item.sku)));
            }
            let updated = diesel::update(items::table.find(id))
                .set((items::quantity.eq(new_qty), items::updated_at.eq(now)))
                .get_result::<Item>(c)?;
            audit::record(&pool, &who, "adjust", id, adj.reason.clone())?; //~ nested_checkout
            Ok(updated)
        })
    })
    .await??;
    Ok(HttpResponse::Ok().json(item))
}

async fn transfer_stock(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    path: web::Path<i32>,
    body: web::Json<Transfer>,
) -> Result<HttpResponse, ServiceError> {
    let id = path.into_inner();
    let t = body.into_inner();
    let who = actor(&req);
    let (from, to) = web::block(move || -> Result<(Item, Item), ServiceError> {
        let mut conn = db::conn(&pool)?;
        conn.transaction(|c| {
            let from = items::table.find(id).for_update().first::<Item>(c)?;
            let to = items::table.filter(items::sku.eq(&t.to_sku)).for_update().first::<Item>(c)?;
            if from.quantity < t.quantity {
                return Err(ServiceError::Conflict(format!("only {} of {} in stock", from.quantity, from.sku)));
            }
            let from = diesel::update(&from).set(items::quantity.eq(from.quantity - t.quantity)).get_result::<Item>(c)?;
            let to = diesel::update(&to).set(items::quantity.eq(to.quantity + t.quantity)).get_result::<Item>(c)?;
            // Written on the transaction's own connection: rolled back with it.
            audit::record_on(c, &who, "transfer_out", from.id, Some(format!("{} -> {}", t.quantity, to.sku)))?;
            audit::record_on(c, &who, "transfer_in", to.id, Some(format!("{} <- {}", t.quantity, from.sku)))?;
            Ok((from, to))
        })
    })
    .await??;
    Ok(HttpResponse::Ok().json(json!({ "from": from, "to": to })))
}

async fn delete_item(req: HttpRequest, pool: web::Data<DbPool>, path: web::Path<i32>) -> Result<HttpResponse, ServiceError> {
    let id = path.into_inner();
    let who = actor(&req);
    let deleted = web::block(move || -> Result<usize, ServiceError> {
        let mut conn = db::conn(&pool)?;
        let n = diesel::delete(items::table.find(id)).execute(&mut conn)?;
        drop(conn);
        if n > 0 {
            audit::record(&pool, &who, "delete", id, None)?;
        }
        Ok(n)
    })
    .await??;
    if deleted == 0 {
        return Err(ServiceError::NotFound);
    }
    Ok(HttpResponse::NoContent().finish())
}

async fn restock_report(
    pool: web::Data<DbPool>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ServiceError> {
    let threshold = query.get("below").and_then(|v| v.parse::<i32>().ok()).unwrap_or(crate::settings().low_stock_threshold);
    let lines = web::block(move || -> Result<Vec<RestockLine>, ServiceError> {
        let mut conn = db::conn(&pool)?;
        let low = items::table
            .filter(items::quantity.lt(threshold))
            .order(items::quantity.asc())
            .load::<Item>(&mut conn)?;
        low.into_iter()
            .map(|item| {
                let supplier = supplier_for(&pool, item.supplier_id)?; //~ nested_checkout
                Ok(RestockLine {
                    sku: item.sku,
                    on_hand: item.quantity,
                    supplier: supplier.name,
                    supplier_email: supplier.email,
                    lead_time_days: supplier.lead_time_days,
                })
            })
            .collect()
    })
    .await??;
    Ok(HttpResponse::Ok().json(lines))
}

fn supplier_for(pool: &DbPool, supplier_id: i32) -> Result<Supplier, ServiceError> {
    db::with_conn(pool, |c| Ok(suppliers::table.find(supplier_id).first::<Supplier>(c)?))
}

async fn stock_summary(req: HttpRequest, pool: web::Data<DbPool>) -> Result<HttpResponse, ServiceError> {
    let who = actor(&req);
    let (count, units) = web::block(move || -> Result<(i64, i64), ServiceError> {
        let (count, units) = {
            let mut conn = db::conn(&pool)?;
            items::table
                .select((count_star(), sum(items::quantity)))
                .first::<(i64, Option<i64>)>(&mut conn)?
        };
        audit::record(&pool, &who, "summary", 0, Some(format!("{count} items, {units:?} units")))?;
        Ok((count, units.unwrap_or(0)))
    })
    .await??;
    Ok(HttpResponse::Ok().json(json!({ "items": count, "units": units })))
}
