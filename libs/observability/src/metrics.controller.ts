import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { metricsContentType, scrape } from './metrics';

/** Prometheus exposition: `GET /metrics`. */
@ApiExcludeController()
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', metricsContentType)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return scrape();
  }
}
